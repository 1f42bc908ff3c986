package dev.userpipeline.offline;

import java.util.List;
import java.util.Locale;

/**
 * How users of one of the API's nationalities look: the locale their names and places come from,
 * their country's name, the national id they carry, and whether their postcode is a number.
 */
enum Nationality {
    AU("en-AU", "Australia", "TFN", PostcodeStyle.NUMBER4),
    BR("pt-BR", "Brazil", "CPF", PostcodeStyle.NUMBER5),
    CA("en-CA", "Canada", "SIN", PostcodeStyle.CANADIAN),
    CH("de-CH", "Switzerland", "AVS", PostcodeStyle.NUMBER4),
    DE("de", "Germany", "SVNR", PostcodeStyle.NUMBER5),
    DK("da-DK", "Denmark", "CPR", PostcodeStyle.NUMBER4),
    ES("es", "Spain", "DNI", PostcodeStyle.NUMBER5),
    FI("fi-FI", "Finland", "HETU", PostcodeStyle.NUMBER5),
    FR("fr", "France", "INSEE", PostcodeStyle.NUMBER5),
    GB("en-GB", "United Kingdom", "NINO", PostcodeStyle.BRITISH),
    IE("en-IE", "Ireland", "PPS", PostcodeStyle.IRISH),
    IN("en-IN", "India", "UIDAI", PostcodeStyle.NUMBER6),
    IR("fa", "Iran", "", PostcodeStyle.NUMBER5),
    MX("es-MX", "Mexico", "NSS", PostcodeStyle.NUMBER5),
    NL("nl", "Netherlands", "BSN", PostcodeStyle.DUTCH),
    NO("nb-NO", "Norway", "FN", PostcodeStyle.NUMBER4),
    NZ("en-NZ", "New Zealand", "", PostcodeStyle.NUMBER4),
    RS(null, "Serbia", "SID", PostcodeStyle.NUMBER5),
    TR("tr", "Turkey", "", PostcodeStyle.NUMBER5),
    UA("uk", "Ukraine", "", PostcodeStyle.NUMBER5),
    US("en-US", "United States", "SSN", PostcodeStyle.NUMBER5);

    /** Postcodes are JSON numbers for some nationalities and strings for others, as in the real API. */
    enum PostcodeStyle {
        NUMBER4, NUMBER5, NUMBER6, CANADIAN, BRITISH, IRISH, DUTCH;

        boolean numeric() {
            return this == NUMBER4 || this == NUMBER5 || this == NUMBER6;
        }
    }

    static final List<Nationality> ALL = List.of(values());

    final String languageTag;
    final String country;
    /** The national id's name; empty where the API sends {@code {"name":"","value":null}}. */
    final String idName;
    final PostcodeStyle postcode;

    Nationality(String languageTag, String country, String idName, PostcodeStyle postcode) {
        this.languageTag = languageTag;
        this.country = country;
        this.idName = idName;
        this.postcode = postcode;
    }

    Locale locale() {
        return Locale.forLanguageTag(languageTag);
    }
}
