package io.moescope.model.tokenizer;

import java.util.List;
import java.util.Map;

/**
 * The byte-level BPE pre-tokenizers named by GGUF's {@code tokenizer.ggml.pre}, written the way the model's original
 * tokenizer.json writes them (Hugging Face regexes with inline {@code (?i:…)}, which llama.cpp spells out as
 * character classes), so the Hugging Face tokenizers library splits text exactly as the original did.
 */
final class GgufPreTokenizers {

    /**
     * How one family pre-tokenizes.
     *
     * @param splits       regexes applied in turn, each an Isolated Split of the pieces the previous one left
     * @param gpt2Regex    no Split; ByteLevel's own GPT-2 regex does the splitting (plain GPT-2, OLMo)
     * @param nfc          the original tokenizer.json NFC-normalises first (Qwen2/Qwen3)
     * @param ignoreMerges a word that is itself a token is not merged (llama.cpp and tokenizers ignore_merges)
     * @param addBos       llama.cpp's add_bos default for this family, when the file has no add_bos_token key
     */
    record PreTokenizer(List<String> splits, boolean gpt2Regex, boolean nfc, boolean ignoreMerges, boolean addBos) {}

    private static final String CONTRACTIONS = "(?i:'s|'t|'re|'ve|'m|'ll|'d)";

    static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";

    static final String QWEN2 = CONTRACTIONS + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    static final String LLAMA3 =
            CONTRACTIONS + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
                    + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** DeepSeek-V3 / R1: digits in runs of up to three, CJK runs, then words (CR and LF appear as literal characters). */
    static final List<String> DEEPSEEK_V3 = List.of(
            "\\p{N}{1,3}",
            "[一-龥぀-ゟ゠-ヿ]+",
            "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+"
                    + "| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+");

    /** DeepSeek LLM / V2: letters of the cased scripts, ASCII/full-width punctuation, CJK/Hangul runs, digit runs. */
    static final List<String> DEEPSEEK_LLM = List.of(
            "[\r\n]",
            "\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-ώᾀ-ᾴᾶ-ᾼιῂ-ῄῆ-ῌῐ-ΐῖ-Ίῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤΩℨK-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+",
            "\\s?[!-/:-~！-／：-～‘-‟　-。]+",
            "\\s+$",
            "[一-龥ࠀ-一가-퟿]+",
            "\\p{N}+");

    static final List<String> DEEPSEEK_CODER =
            List.of("[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", "[一-龥ࠀ-一가-퟿]+", "\\p{N}");

    /** o200k (GPT-4o and its clones). */
    static final String GPT4O =
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
                    + CONTRACTIONS
                    + "?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*"
                    + CONTRACTIONS + "?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** llama.cpp's fallback when a file names no pre-tokenizer (it warns that quality is degraded). */
    static final List<String> DEFAULT = List.of("[\\p{P}\\$\\+<=>\\^~\\|]+", GPT2, "\\p{N}+", "[0-9][0-9][0-9]");

    private static final PreTokenizer BYTE_LEVEL_GPT2 = new PreTokenizer(List.of(), true, false, false, false);
    private static final PreTokenizer QWEN = new PreTokenizer(List.of(QWEN2), false, true, false, false);
    private static final PreTokenizer LLAMA_3 = new PreTokenizer(List.of(LLAMA3), false, false, true, true);
    private static final PreTokenizer LLAMA_3_REGEX = new PreTokenizer(List.of(LLAMA3), false, false, false, false);

    private static final Map<String, PreTokenizer> BY_NAME = Map.ofEntries(
            Map.entry("default", new PreTokenizer(DEFAULT, false, false, false, false)),
            Map.entry("gpt-2", BYTE_LEVEL_GPT2),
            Map.entry("gpt2", BYTE_LEVEL_GPT2),
            Map.entry("olmo", BYTE_LEVEL_GPT2),
            Map.entry("mpt", BYTE_LEVEL_GPT2),
            Map.entry("phi-2", BYTE_LEVEL_GPT2),
            Map.entry("roberta-bpe", BYTE_LEVEL_GPT2),
            Map.entry("qwen2", QWEN),
            Map.entry("deepseek-r1-qwen", QWEN),
            Map.entry("llama3", LLAMA_3),
            Map.entry("llama-bpe", LLAMA_3),
            Map.entry("llama-v3", LLAMA_3),
            Map.entry("falcon3", LLAMA_3),
            Map.entry("dbrx", LLAMA_3_REGEX),
            Map.entry("smaug-bpe", LLAMA_3_REGEX),
            Map.entry("deepseek-v3", new PreTokenizer(DEEPSEEK_V3, false, false, false, false)),
            Map.entry("deepseek-llm", new PreTokenizer(DEEPSEEK_LLM, false, false, false, false)),
            Map.entry("deepseek-coder", new PreTokenizer(DEEPSEEK_CODER, false, false, false, false)),
            Map.entry("gpt-4o", new PreTokenizer(List.of(GPT4O), false, false, false, false)));

    private GgufPreTokenizers() {}

    /** The pre-tokenizer of a {@code tokenizer.ggml.pre} value, or null when MoE Scope does not know it. */
    static PreTokenizer byName(String pre) {
        return BY_NAME.get(pre);
    }

    /** The known names, for error messages. */
    static String knownNames() {
        return String.join(", ", new java.util.TreeSet<>(BY_NAME.keySet()));
    }
}
