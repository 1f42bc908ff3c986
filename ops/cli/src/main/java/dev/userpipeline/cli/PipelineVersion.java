package dev.userpipeline.cli;

import picocli.CommandLine;

/** The version printed by {@code pipeline --version}: the build's, from the jar manifest when packaged. */
final class PipelineVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = PipelineCommand.class.getPackage().getImplementationVersion();
        return new String[] {"pipeline " + (version == null ? "(development build)" : version),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")"};
    }
}
