package dev.userpipeline.offline;

import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import net.datafaker.Faker;

/**
 * Names and places for each nationality, drawn once at start from datafaker's locales with a fixed
 * seed (so every start draws the same pools), then combined per user at no cost.
 */
final class NamePools {

    /** One nationality's pools. */
    record Pool(List<String> maleFirst, List<String> femaleFirst, List<String> last, List<String> streets,
            List<String> cities, List<String> states) {
    }

    private static final int SIZE = 200;
    private final Map<Nationality, Pool> pools = new EnumMap<>(Nationality.class);

    NamePools() {
        for (Nationality nat : Nationality.ALL) {
            pools.put(nat, nat == Nationality.RS ? serbian() : draw(nat));
        }
    }

    Pool of(Nationality nat) {
        return pools.get(nat);
    }

    /**
     * Locales whose datafaker files have no gendered first names fall back to English ones for those;
     * their first names are drawn from the locale's single list instead.
     */
    private static final java.util.Set<Nationality> UNGENDERED = java.util.EnumSet.of(Nationality.IR, Nationality.FR, Nationality.NL);

    private static Pool draw(Nationality nat) {
        Faker faker = new Faker(nat.locale(), new Random(nat.ordinal() * 7919L + 17));
        boolean gendered = !UNGENDERED.contains(nat);
        List<String> male = distinct(gendered ? () -> faker.name().malefirstName() : () -> faker.name().firstName());
        List<String> female = distinct(gendered ? () -> faker.name().femaleFirstName() : () -> faker.name().firstName());
        List<String> last = distinct(() -> faker.name().lastName());
        if (nat == Nationality.IR) {
            // datafaker's Persian locale has names but no places.
            return new Pool(male, female, last,
                    List.of("شهید بهشتی", "ولیعصر", "انقلاب", "آزادی", "فاطمی", "مطهری", "شریعتی", "کارگر", "جمهوری", "میرداماد"),
                    List.of("تهران", "مشهد", "اصفهان", "کرج", "شیراز", "تبریز", "قم", "اهواز", "کرمانشاه", "رشت", "یزد", "همدان"),
                    List.of("تهران", "خراسان رضوی", "اصفهان", "البرز", "فارس", "آذربایجان شرقی", "قم", "خوزستان", "گیلان", "یزد"));
        }
        return new Pool(male, female, last,
                distinct(() -> faker.address().streetName()),
                distinct(() -> faker.address().cityName()),
                distinct(() -> faker.address().state()));
    }

    private static List<String> distinct(Supplier<String> source) {
        Set<String> values = new LinkedHashSet<>();
        for (int i = 0; i < SIZE * 3 && values.size() < SIZE; i++) {
            try {
                String value = source.get();
                if (value != null && !value.isBlank()) {
                    values.add(value.trim());
                }
            } catch (RuntimeException missingInLocale) {
                break;
            }
        }
        if (values.isEmpty()) {
            values.add("—");
        }
        return List.copyOf(values);
    }

    /** datafaker has no Serbian locale; these are common Serbian names and places, in Cyrillic as the API sends them. */
    private static Pool serbian() {
        return new Pool(
                List.of("Зоран", "Милан", "Никола", "Марко", "Стефан", "Душан", "Драган", "Немања", "Александар", "Лазар",
                        "Вук", "Бранко", "Петар", "Јован", "Милош", "Урош", "Ђорђе", "Срђан", "Жељко", "Љубиша"),
                List.of("Јована", "Милица", "Ана", "Јелена", "Марија", "Драгана", "Снежана", "Тијана", "Ивана", "Катарина",
                        "Гордана", "Весна", "Наташа", "Љиљана", "Бојана", "Софија", "Теодора", "Сања", "Ђурђина", "Исидора"),
                List.of("Јовановић", "Петровић", "Николић", "Марковић", "Ђорђевић", "Стојановић", "Илић", "Станковић",
                        "Павловић", "Милошевић", "Поповић", "Томић", "Ђурић", "Костић", "Лукић", "Живковић", "Митровић",
                        "Радовановић", "Шарић", "Жуњић"),
                List.of("Кнеза Милоша", "Булевар ослобођења", "Таковска", "Немањина", "Цара Душана", "Краља Петра",
                        "Светогорска", "Карађорђева", "Његошева", "Змај Јовина", "Вука Караџића", "Гаврила Принципа"),
                List.of("Београд", "Нови Сад", "Ниш", "Крагујевац", "Суботица", "Зрењанин", "Панчево", "Чачак",
                        "Краљево", "Смедерево", "Ваљево", "Шабац", "Ужице", "Лесковац", "Врање"),
                List.of("Београд", "Јужнобачки", "Нишавски", "Шумадијски", "Севернобачки", "Средњобанатски",
                        "Јужнобанатски", "Моравички", "Рашки", "Подунавски", "Колубарски", "Мачвански", "Златиборски"));
    }
}
