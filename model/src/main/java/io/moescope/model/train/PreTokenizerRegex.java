package io.moescope.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The split regex shared by the BPE trainer (Java) and the exported {@code tokenizer.json} (Hugging Face,
 * Oniguruma). Alternatives, first match wins: one CJK ideograph; one digit (so arithmetic sees single digits);
 * a run of letters/marks with an optional leading space; a run of punctuation/symbols with an optional leading
 * space; whitespace not followed by a non-space (indentation keeps one space for the next word); any whitespace.
 * Every character falls in one alternative, so "Isolated" splitting covers the whole text.
 */
public final class PreTokenizerRegex {
    static final String CJK = "\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF";
    /** The pattern text, written as-is into tokenizer.json. */
    public static final String PATTERN =
            "[" + CJK + "]|\\p{N}| ?[^\\s\\p{N}\\p{P}\\p{S}" + CJK + "]+" + "| ?[\\p{P}\\p{S}]+|\\s+(?!\\S)|\\s+";

    private static final Pattern COMPILED = Pattern.compile(PATTERN, Pattern.UNICODE_CHARACTER_CLASS);

    private PreTokenizerRegex() {}

    /** Splits text into pre-tokens; the pieces concatenate back to the input. */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = COMPILED.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                out.add(text.substring(last, m.start()));
            }
            out.add(m.group());
            last = m.end();
        }
        if (last < text.length()) {
            out.add(text.substring(last));
        }
        return out;
    }
}
