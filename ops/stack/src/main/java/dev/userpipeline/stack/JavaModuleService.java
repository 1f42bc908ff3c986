package dev.userpipeline.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A service whose process is a JVM running a main class of one of this checkout's modules. */
abstract class JavaModuleService implements Service {

    protected final Path home;
    private final Path root;
    private final String moduleDir;
    private ServiceModule module;

    JavaModuleService(Path root, Path home, String moduleDir) {
        this.root = root;
        this.home = home;
        this.moduleDir = moduleDir;
    }

    /** The module, found (and checked to be built) on first use. */
    protected synchronized ServiceModule module() {
        if (module == null) {
            module = ServiceModule.locate(root, moduleDir);
        }
        return module;
    }

    @Override
    public void prepare(Path log) throws Exception {
        module();
    }

    /** {@code java @jvm.options @<classpath file> mainClass args}, the classpath file under the work directory. */
    protected List<String> javaCommand(String mainClass, List<String> args) throws IOException {
        return module().javaCommand(mainClass, args, home.resolve("run/" + name() + ".classpath"));
    }

    /** As {@link #javaCommand(String, List)}, with extra JVM options that override the module's. */
    protected List<String> javaCommand(String mainClass, List<String> jvmOptions, List<String> args) throws IOException {
        return module().javaCommand(mainClass, jvmOptions, args, home.resolve("run/" + name() + ".classpath"));
    }
}
