using System.Text.Json.Nodes;

namespace Edge.Micro.Training.Synthesis;

/// <summary>Settings of <see cref="DatasetBuilder"/>.</summary>
public sealed record DatasetOptions
{
    /// <summary>The keywords, one class each, after "silence" and "unknown".</summary>
    public string[] Words { get; init; } = ["yes", "no"];

    /// <summary>Words of the unknown class.</summary>
    public string[] Unknown { get; init; } = WordLists.DefaultUnknown;

    /// <summary>Words of <see cref="Unknown"/> drawn for <see cref="HardNegativeShare"/> of the unknown clips.</summary>
    public string[] HardNegatives { get; init; } = WordLists.NearMisses;

    /// <summary>
    /// Share of unknown clips that speak a hard negative (default 0: every unknown word equally often, so the
    /// 14 near-misses speak about 12% of the unknown clips). 0.35 was tried for the default model: held-out
    /// accuracy fell from 81.6% to 76.1% and the false detections on near-miss speech stayed the same.
    /// </summary>
    public double HardNegativeShare { get; init; }

    /// <summary>
    /// Share of unknown clips that are running speech instead of one word (default 0): a phrase of
    /// <see cref="PhraseWordsMin"/>-<see cref="PhraseWordsMax"/> unknown words spoken in one breath. A phrase
    /// longer than the clip is not sped up: the clip holds a random second of it (the speech before that second
    /// goes into the warm-up, as in a stream); a shorter one lands whole, like a word.
    /// </summary>
    public double PhraseShare { get; init; }

    /// <summary>
    /// Share of keyword clips in which the keyword is said in running speech (default 0): after the end of a
    /// sentence, before the start of one, or both (<see cref="ClipSynthesizer.Synthesize"/>); the keyword lands
    /// whole in the clip. Without such clips a model can learn "other speech in the window" as a sign of unknown, and
    /// hard-negative mining on running speech (edge-micro mine) teaches exactly that.
    /// </summary>
    public double ContextShare { get; init; }

    /// <summary>Fewest words of a running-speech phrase.</summary>
    public const int PhraseWordsMin = 2;

    /// <summary>Most words of a running-speech phrase.</summary>
    public const int PhraseWordsMax = 4;

    /// <summary>Clips per keyword; the unknown class gets as many, silence half.</summary>
    public int Count { get; init; } = 1000;

    /// <summary>Seed: the same seed gives the same dataset, byte for byte.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Share of clips spoken by held-out voices (validation).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Worker threads (default: every core).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Also write each clip's last second as a 16 kHz WAV under wavs/.</summary>
    public bool WriteWavs { get; init; }
}

/// <summary>
/// Synthesizes a keyword dataset with espeak-ng: classes silence, unknown, then the keywords; every clip
/// augmented (<see cref="ClipSynthesizer"/>) and turned into the model's int8 features by the project's micro
/// front end. Clip i depends only on the seed and i, so the result does not depend on thread timing.
/// </summary>
public static class DatasetBuilder
{
    /// <summary>Class names for a keyword list.</summary>
    public static string[] LabelsFor(string[] words) => ["silence", "unknown", .. words];

    /// <summary>Builds the dataset; <paramref name="progress"/> receives (clips done, total).</summary>
    public static (Dataset Dataset, IReadOnlyList<ClipInfo> Infos) Build(DatasetOptions options, Action<int, int>? progress = null, string? wavFolder = null)
    {
        Validate(options);
        string[] labels = LabelsFor(options.Words);
        int keywordClips = options.Count * options.Words.Length;
        int total = keywordClips + options.Count + options.Count / 2;
        var plan = new (int Label, string? Text, bool Phrase)[total];
        var inContext = new bool[total];
        string[] hardNegatives = options.HardNegatives.Intersect(options.Unknown).ToArray();
        var planRng = new Random(options.Seed);
        for (int i = 0; i < total; i++)
        {
            plan[i] = i < keywordClips
                ? (2 + i / options.Count, options.Words[i / options.Count], false)
                : i < keywordClips + options.Count
                    ? UnknownClip(options, hardNegatives, planRng)
                    : (0, null, false);
        }

        // Drawn after the plan, so that a share of 0 leaves older datasets byte for byte the same.
        for (int i = 0; i < keywordClips && options.ContextShare > 0; i++)
        {
            inContext[i] = planRng.NextDouble() < options.ContextShare;
        }

        IReadOnlyList<float[]> babble = BabblePool(options.Seed);
        var synthesizer = new ClipSynthesizer(babble);
        var features = new sbyte[total * SynthesisConstants.FeatureBytes];
        var infos = new ClipInfo[total];
        var validation = new bool[total];
        int done = 0;
        var extractors = new ThreadLocal<ClipFeatures>(() => new ClipFeatures());
        Parallel.For(0, total, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Threads) }, i =>
        {
            var rng = new Random(ClipSeed(options.Seed, i));
            bool isValidation = rng.NextDouble() < options.ValidationFraction;
            (short[] samples, ClipInfo info) = synthesizer.Synthesize(i, plan[i].Label, labels[plan[i].Label], plan[i].Text, plan[i].Phrase, isValidation, rng, inContext[i]);
            int warmUp = ClipFeatures.RandomWarmUpFrames(rng);
            extractors.Value!.Extract(samples, features.AsSpan(i * SynthesisConstants.FeatureBytes, SynthesisConstants.FeatureBytes), warmUp);
            infos[i] = info;
            validation[i] = isValidation;
            if (wavFolder != null)
            {
                WavWriter.Write(Path.Combine(wavFolder, $"{i:D6}_{info.LabelName}.wav"), samples.AsSpan(samples.Length - SynthesisConstants.ClipSamples));
            }

            int now = Interlocked.Increment(ref done);
            progress?.Invoke(now, total);
        });

        return (new Dataset(labels, features, plan.Select(p => p.Label).ToArray(), validation), infos);
    }

    // One unknown word, or with PhraseShare a phrase of several ("left now, table"); no random draw is
    // spent on a share of 0, so older datasets stay byte for byte the same.
    private static (int Label, string Text, bool Phrase) UnknownClip(DatasetOptions o, string[] hardNegatives, Random rng)
    {
        if (o.PhraseShare > 0 && rng.NextDouble() < o.PhraseShare)
        {
            int words = DatasetOptions.PhraseWordsMin + rng.Next(DatasetOptions.PhraseWordsMax - DatasetOptions.PhraseWordsMin + 1);
            var phrase = new string[words];
            for (int w = 0; w < words; w++)
            {
                phrase[w] = UnknownWord(o, hardNegatives, rng);
            }

            return (1, string.Join(rng.Next(3) == 0 ? ", " : " ", phrase), true);
        }

        return (1, UnknownWord(o, hardNegatives, rng), false);
    }

    private static string UnknownWord(DatasetOptions o, string[] hardNegatives, Random rng) =>
        hardNegatives.Length > 0 && o.HardNegativeShare > 0 && rng.NextDouble() < o.HardNegativeShare
            ? hardNegatives[rng.Next(hardNegatives.Length)]
            : o.Unknown[rng.Next(o.Unknown.Length)];

    /// <summary>The settings recorded in dataset.json.</summary>
    public static JsonObject Describe(DatasetOptions o) => new()
    {
        ["words"] = string.Join(',', o.Words),
        ["unknown"] = string.Join(',', o.Unknown),
        ["hardNegatives"] = string.Join(',', o.HardNegatives.Intersect(o.Unknown)),
        ["hardNegativeShare"] = o.HardNegativeShare,
        ["phraseShare"] = o.PhraseShare,
        ["contextShare"] = o.ContextShare,
        ["count"] = o.Count,
        ["seed"] = o.Seed,
        ["validationFraction"] = o.ValidationFraction,
        ["heldOutVoices"] = $"bases {string.Join(' ', VoiceCatalog.HeldOutBases)}; variants {string.Join(' ', VoiceCatalog.HeldOutVariants)}",
    };

    // Keyword-free sentences from training voices, the material of babble noise.
    private static IReadOnlyList<float[]> BabblePool(int seed)
    {
        var rng = new Random(seed ^ 0x5EED);
        var pool = new float[WordLists.Sentences.Length][];
        var voices = WordLists.Sentences.Select(_ => VoiceCatalog.Pick(rng, validation: false)).ToArray();
        Parallel.For(0, pool.Length, i => pool[i] = Espeak.Render(WordLists.Sentences[i], $"{voices[i].Base}+{voices[i].Variant}", 170, 50));
        return pool;
    }

    private static int ClipSeed(int seed, int index) => unchecked((seed * 1000003) ^ (index * 7919 + 17));

    private static void Validate(DatasetOptions o)
    {
        if (o.Words.Length == 0 || o.Words.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("give at least one keyword with --words, e.g. --words yes,no");
        }

        if (o.Unknown.Length == 0)
        {
            throw new ArgumentException("the unknown class needs words (--unknown)");
        }

        string[] clash = o.Unknown.Intersect(o.Words, StringComparer.OrdinalIgnoreCase).ToArray();
        if (clash.Length > 0)
        {
            throw new ArgumentException($"'{string.Join(", ", clash)}' is both a keyword and an unknown word");
        }

        if (o.Count < 1)
        {
            throw new ArgumentException("--count must be at least 1");
        }

        if (o.HardNegativeShare is < 0 or > 1)
        {
            throw new ArgumentException("--hard-negatives must be a share in [0, 1]");
        }

        string[] strays = o.HardNegatives.Except(o.Unknown).ToArray();
        if (o.HardNegativeShare > 0 && strays.Length > 0)
        {
            throw new ArgumentException($"hard negative(s) '{string.Join(", ", strays)}' are not unknown words: add them to --unknown or leave them out of --hard-negative-words");
        }

        if (o.PhraseShare is < 0 or > 1)
        {
            throw new ArgumentException("--phrases must be a share in [0, 1]");
        }

        if (o.ContextShare is < 0 or > 1)
        {
            throw new ArgumentException("--context must be a share in [0, 1]");
        }

        if (o.ValidationFraction is < 0 or >= 1)
        {
            throw new ArgumentException("the validation fraction must be in [0, 1)");
        }

        if (!Espeak.IsAvailable())
        {
            throw new SpeechSynthesisException($"{Espeak.Program} is not installed; install the Debian package espeak-ng (scripts/install-deps.sh espeak-ng)");
        }
    }
}
