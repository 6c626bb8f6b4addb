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

    /// <summary>
    /// Real recordings to add (<see cref="RealRecordings"/>; null: none): each word recording
    /// <see cref="ImportCopies"/> times (its keyword's class, or unknown), two random seconds per second of
    /// continuous speech (unknown), one second of noise per second of each noise recording and the room tone of each
    /// word recording (silence). Clips of a
    /// share <see cref="ValidationFraction"/> of the speakers, chosen by a hash of the speaker, are validation.
    /// </summary>
    public RealRecordings? Import { get; init; }

    /// <summary>Augmented copies of each imported word recording.</summary>
    public int ImportCopies { get; init; } = 10;

    /// <summary>Share of synthetic clips whose background is a segment of an imported noise recording (default 0).</summary>
    public double RecordedNoiseShare { get; init; }

    /// <summary>
    /// Share of single-word clips whose word starts 10-25% of its length before the second (default 0;
    /// <see cref="ClipSynthesizer.WordStart"/>): the windows a streaming recognizer averages over hold such words.
    /// </summary>
    public double EdgeShare { get; init; }

    /// <summary>Synthesizers: espeak-ng always; flite and festival (<see cref="VoicePool"/>) when listed.</summary>
    public string[] Engines { get; init; } = ["espeak-ng"];

    /// <summary>Share of single-word clips spoken by flite and festival voices when <see cref="Engines"/> lists them.</summary>
    public double EngineShare { get; init; } = 0.4;
}

/// <summary>What a dataset clip is made of: synthesized speech, or one of the imported kinds.</summary>
internal enum ClipSource
{
    Synthetic,
    RealWord,
    RealSpeech,
    RealNoise,
    RealRoomTone,
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

        RealClipMaker? real = options.Import != null ? new RealClipMaker(options.Import, options.EdgeShare) : null;
        List<(ClipSource Source, int Item, int Label)> imported = ImportPlan(options, labels, real);
        int synthetic = total;
        total += imported.Count;

        IReadOnlyList<float[]> babble = BabblePool(options.Seed);
        string[] pooled = options.Engines.Intersect(VoicePool.Engines).ToArray();
        VoicePool? pool = pooled.Length > 0 ? VoicePool.Render(pooled, [.. options.Words, .. options.Unknown]) : null;
        var synthesizer = new ClipSynthesizer(babble, real?.NoiseRecordings, options.RecordedNoiseShare, pool, pool != null ? options.EngineShare : 0, options.EdgeShare);
        var features = new sbyte[total * SynthesisConstants.FeatureBytes];
        var infos = new ClipInfo[total];
        var validation = new bool[total];
        var clipLabels = new int[total];
        int done = 0;
        var extractors = new ThreadLocal<ClipFeatures>(() => new ClipFeatures());
        Parallel.For(0, total, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Threads) }, i =>
        {
            var rng = new Random(ClipSeed(options.Seed, i));
            short[] samples;
            ClipInfo info;
            bool isValidation;
            if (i < synthetic)
            {
                isValidation = rng.NextDouble() < options.ValidationFraction;
                (samples, info) = synthesizer.Synthesize(i, plan[i].Label, labels[plan[i].Label], plan[i].Text, plan[i].Phrase, isValidation, rng, inContext[i]);
            }
            else
            {
                (ClipSource source, int item, int label) = imported[i - synthetic];
                RealRecordings import = options.Import!;
                (samples, info) = source switch
                {
                    ClipSource.RealWord => real!.Word(i, label, labels[label], IsValidationSpeaker(import.Words[item].Speaker, options), import.Words[item], rng),
                    ClipSource.RealSpeech => real!.SpeechWindow(i, label, labels[label], IsValidationSpeaker(import.Speech[item].Speaker, options), import.Speech[item], rng),
                    ClipSource.RealRoomTone => real!.RoomTone(i, label, labels[label], IsValidationSpeaker(import.Words[item].Speaker, options), import.Words[item], rng),
                    _ => real!.NoiseWindow(i, label, labels[label], rng),
                };
                isValidation = info.Validation;
            }

            clipLabels[i] = info.Label;
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

        return (new Dataset(labels, features, clipLabels, validation), infos);
    }

    // The imported clips in order: every word recording ImportCopies times, windows of continuous speech, windows of noise.
    private static List<(ClipSource Source, int Item, int Label)> ImportPlan(DatasetOptions o, string[] labels, RealClipMaker? real)
    {
        var plan = new List<(ClipSource, int, int)>();
        if (o.Import == null || real == null)
        {
            return plan;
        }

        for (int w = 0; w < o.Import.Words.Count; w++)
        {
            int keyword = Array.IndexOf(labels, o.Import.Words[w].Word, 2);
            for (int c = 0; c < o.ImportCopies; c++)
            {
                plan.Add((ClipSource.RealWord, w, keyword >= 2 ? keyword : 1));
            }
        }

        for (int s = 0; s < o.Import.Speech.Count; s++)
        {
            int windows = (int)Math.Ceiling(2 * real.Seconds(o.Import.Speech[s].Path));
            plan.AddRange(Enumerable.Repeat((ClipSource.RealSpeech, s, 1), windows));
        }

        for (int n = 0; n < o.Import.Noise.Count; n++)
        {
            int windows = (int)Math.Ceiling(real.Seconds(o.Import.Noise[n]));
            plan.AddRange(Enumerable.Repeat((ClipSource.RealNoise, n, 0), windows));
        }

        for (int w = 0; w < o.Import.Words.Count; w++)
        {
            plan.Add((ClipSource.RealRoomTone, w, 0));
        }

        return plan;
    }

    /// <summary>Whether a real speaker's clips are validation: a stable hash of the name against the validation share.</summary>
    public static bool IsValidationSpeaker(string speaker, DatasetOptions o)
    {
        uint hash = 2166136261;
        foreach (char c in speaker)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return hash % 1000 < o.ValidationFraction * 1000;
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

    /// <summary>The settings recorded in dataset.json (the import's only when there is one, so older datasets' descriptions stay the same).</summary>
    public static JsonObject Describe(DatasetOptions o)
    {
        var settings = new JsonObject
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
        if (o.EdgeShare > 0)
        {
            settings["edgeShare"] = o.EdgeShare;
        }

        if (o.Engines.Any(e => e != "espeak-ng"))
        {
            settings["engines"] = string.Join(',', o.Engines);
            settings["engineShare"] = o.EngineShare;
        }

        if (o.Import != null)
        {
            settings["import"] = new JsonObject
            {
                ["folder"] = o.Import.Folder,
                ["words"] = o.Import.Words.Count,
                ["speechFiles"] = o.Import.Speech.Count,
                ["noiseFiles"] = o.Import.Noise.Count,
                ["copies"] = o.ImportCopies,
                ["recordedNoiseShare"] = o.RecordedNoiseShare,
            };
        }

        return settings;
    }

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

        string[] unknownEngines = o.Engines.Except(["espeak-ng", .. VoicePool.Engines]).ToArray();
        if (unknownEngines.Length > 0)
        {
            throw new ArgumentException($"unknown engine(s) '{string.Join(", ", unknownEngines)}': choose from espeak-ng, {string.Join(", ", VoicePool.Engines)}");
        }

        if (o.EngineShare is < 0 or > 1)
        {
            throw new ArgumentException("--engine-share must be a share in [0, 1]");
        }

        if (o.EdgeShare is < 0 or > 1)
        {
            throw new ArgumentException("--edge must be a share in [0, 1]");
        }

        if (o.ImportCopies < 1)
        {
            throw new ArgumentException("--import-copies must be at least 1");
        }

        if (o.RecordedNoiseShare is < 0 or > 1)
        {
            throw new ArgumentException("--recorded-noise must be a share in [0, 1]");
        }

        if (o.RecordedNoiseShare > 0 && o.Import is not { Noise.Count: > 0 })
        {
            throw new ArgumentException("--recorded-noise needs noise recordings: --import a folder with _background_noise_/ (Speech Commands) or noise/ (a split set)");
        }

        if (!Espeak.IsAvailable())
        {
            throw new SpeechSynthesisException($"{Espeak.Program} is not installed; install the Debian package espeak-ng (scripts/install-deps.sh espeak-ng)");
        }
    }
}
