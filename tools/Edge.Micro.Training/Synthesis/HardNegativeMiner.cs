using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Host.Audio;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;

namespace Edge.Micro.Training.Synthesis;

/// <summary>Settings of <see cref="HardNegativeMiner"/>.</summary>
public sealed record MiningOptions
{
    /// <summary>Keyword-free sentences to speak (default <see cref="HardNegativeMiner.DefaultSentences"/>).</summary>
    public string[] Sentences { get; init; } = HardNegativeMiner.DefaultSentences;

    /// <summary>Streams to render; each holds <see cref="HardNegativeMiner.SentencesPerStream"/> sentences by different training voices.</summary>
    public int Streams { get; init; } = 200;

    /// <summary>A window is kept when a keyword's int8 score is above this (0: the model gives the keyword more than half).</summary>
    public int MinScore { get; init; }

    /// <summary>Frames between two windows looked at (2 = every 40 ms).</summary>
    public int StepFrames { get; init; } = 2;

    /// <summary>Most windows kept (the first ones, in stream order).</summary>
    public int MaxClips { get; init; } = 4000;

    /// <summary>Seed: the same seed, model and sentences give the same windows.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Worker threads (default: every core).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Real keyword-free speech to mine instead of the sentences (null: espeak-ng speaks <see cref="Sentences"/>).</summary>
    public RealMiningSource? Real { get; init; }
}

/// <summary>
/// Real recordings to mine: continuous speech that holds no keyword (its speakers must be training speakers of
/// the dataset being extended) and noise recordings to mix it into.
/// </summary>
public sealed record RealMiningSource(IReadOnlyList<RealSpeech> Speech, IReadOnlyList<string> Noise);

/// <summary>
/// A kept window: the keyword the model took it for, with the int8 score that selected it, the stream it
/// came from and where the window ends in that stream.
/// </summary>
public sealed record MinedWindow(string Keyword, int Score, int Stream, long EndMs);

/// <summary>
/// What <see cref="HardNegativeMiner.Mine"/> found: the windows' features, their dataset records (unknown,
/// training split) and, in the same order, why each was kept.
/// </summary>
public sealed record MiningResult(sbyte[] Features, IReadOnlyList<ClipInfo> Infos, IReadOnlyList<MinedWindow> Windows, int WindowsLookedAt, double StreamSeconds);

/// <summary>
/// Hard-negative mining on running speech: renders keyword-free sentences with training voices (espeak-ng)
/// in synthetic noise, runs the project's streaming micro front end and a keyword model over them the way the
/// device does, and keeps every window the model scores as a keyword, as a dataset clip of the same audio. Every kept window is a false alarm in
/// the making; added to a dataset as "unknown" training clips, they teach the next model what the keyword is
/// not in context (e.g. "Yeah, ..." at the start of a sentence). With <see cref="MiningOptions.Real"/> the
/// streams are real continuous speech instead, mixed into real noise recordings. Stream i depends only on the
/// seed and i.
/// </summary>
public static class HardNegativeMiner
{
    /// <summary>Sentences in a rendered stream.</summary>
    public const int SentencesPerStream = 4;

    /// <summary>Silence before the first sentence: the front end's noise estimate settles on noise alone.</summary>
    public const int LeadSamples = SynthesisConstants.SampleRate;

    /// <summary>
    /// The default mining sentences: everyday speech, many with near-misses of "yes" and "no" (yeah, yet,
    /// guess, nope, now, nobody...). None is a sentence of the false-alarm streams (KeywordFreeSpeech), which
    /// measure the result, and none holds "yes", "no" or "know" (espeak-ng says "know" as "no"). Rhymes of a
    /// keyword (Jess, bless, dress) are left out: in a window they sound like the keyword itself, and mining
    /// them teaches the model to doubt every keyword.
    /// </summary>
    public static readonly string[] DefaultSentences =
    [
        "Yeah, I think so too.", "Yeah, right, that makes sense.", "Yeah, let me check the calendar.", "Oh yeah, I forgot about that.",
        "Yeah, we can do that later.", "Yeah, okay, see you soon.", "Yeah, it was really good.", "Well, yeah, more or less.",
        "Yet the door was still open.", "Not yet, give me a minute.", "We have not eaten yet.", "Is it ready yet?",
        "I guess you are right.", "Guess what happened at work today.", "I guess it will rain again.", "Your guess is as good as mine.",
        "Nope, not this time.", "Nope, that one is broken.", "Now is a good time to start.", "Right now I am on the train.",
        "Nobody was at home that evening.", "Nothing happened after lunch.", "The note was left on the table.", "Snow covered the whole town.",
        "The yellow car is parked outside.", "Less is more, as they say.", "Let us test the new machine.", "What a mess in the garage.",
        "Nobody knows the answer.", "The new road is finished.", "It is snowing in the north.",
        "He said hello and walked away.", "The weather is nice this week.", "I need a new pair of shoes.", "Open the window, please.",
        "We are going to the cinema tonight.", "The cat sleeps on the sofa all day.", "Take the second street on the left.", "Dinner will be ready in ten minutes.",
    ];

    /// <summary>
    /// Mines <paramref name="model"/> (a 49x40 int8 keyword model whose outputs are <paramref name="labels"/>,
    /// silence and unknown first); <paramref name="progress"/> receives (streams done, total).
    /// </summary>
    public static MiningResult Mine(Model model, IKernelSet kernels, string[] labels, MiningOptions options, Action<int, int>? progress = null)
    {
        Validate(model, labels, options);
        RealAudio? real = options.Real is null ? null : LoadReal(options.Real);
        var perStream = new (List<KeptWindow> Kept, int Looked, int Samples)[options.Streams];
        int done = 0;
        Parallel.For(0, options.Streams, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Threads) },
            () => new Interpreter(model, kernels),
            (i, _, interpreter) =>
            {
                perStream[i] = MineStream(interpreter, labels, options, real, i);
                progress?.Invoke(Interlocked.Increment(ref done), options.Streams);
                return interpreter;
            },
            _ => { });

        KeptWindow[] kept = perStream.SelectMany(s => s.Kept).Take(options.MaxClips).ToArray();
        return new MiningResult(kept.SelectMany(k => k.Features).ToArray(), kept.Select(k => k.Info).ToArray(), kept.Select(k => k.Window).ToArray(),
            perStream.Sum(s => s.Looked),
            perStream.Sum(s => (double)s.Samples) / SynthesisConstants.SampleRate);
    }

    private static void Validate(Model model, string[] labels, MiningOptions options)
    {
        if (labels.Length < 3 || labels[0] != "silence" || labels[1] != "unknown")
        {
            throw new ArgumentException("the labels must be silence, unknown, then the keywords (a dataset made by edge-micro dataset)");
        }

        if (model.ElementCount(model.InputTensor(0)) != SynthesisConstants.FeatureBytes || model.ElementCount(model.OutputTensor(0)) != labels.Length)
        {
            throw new ArgumentException($"the model must take {SynthesisConstants.FeatureBytes} int8 features and give {labels.Length} outputs, one per label");
        }

        if (options.Sentences.Length == 0 || options.Streams < 1 || options.StepFrames < 1 || options.MaxClips < 1 || options.MinScore is < -128 or > 126)
        {
            throw new ArgumentException("mining needs sentences, at least one stream, a step and a clip limit of at least 1 and a score from -128 to 126");
        }

        if (options.Real is { } real && (real.Speech.Count == 0 || real.Noise.Count == 0))
        {
            throw new ArgumentException("mining real speech needs at least one continuous-speech recording and one noise recording");
        }

        foreach (string sentence in options.Sentences)
        {
            string[] words = sentence.ToLowerInvariant().Split([' ', ',', '.', '?', '!', ';', ':', '"'], StringSplitOptions.RemoveEmptyEntries);
            if (words.FirstOrDefault(w => labels.Skip(2).Contains(w) || (w == "know" && labels.Contains("no"))) is string keyword)
            {
                throw new ArgumentException($"the mining sentence \"{sentence}\" says '{keyword}': every window mined from it would be labelled unknown");
            }
        }
    }

    // One stream, rendered from sentences or from a real recording; the model looks at a window every StepFrames frames.
    private static (List<KeptWindow>, int, int) MineStream(Interpreter interpreter, string[] labels, MiningOptions options, RealAudio? real, int index)
    {
        var rng = new Random(unchecked(options.Seed * 1_000_003 + index));
        StreamAudio stream = real is null ? RenderSentences(options, rng) : RenderReal(real, index, rng);
        return ScanWindows(interpreter, labels, options, stream, index, rng);
    }

    // The audio of a stream and what was said where, for the manifest of the windows kept from it.
    private sealed record StreamAudio(short[] Samples, IReadOnlyList<SpokenPart> Spoken, string Noise, int SnrDb);

    private sealed record SpokenPart(int Start, string Text, string Voice, int Wpm, int Pitch);

    // SentencesPerStream sentences by different training voices, gaps of 0.2-0.8 s, in synthetic noise at 0-30 dB SNR.
    private static StreamAudio RenderSentences(MiningOptions options, Random rng)
    {
        var speech = new List<float>(new float[LeadSamples]);
        var spoken = new List<SpokenPart>();
        for (int s = 0; s < SentencesPerStream; s++)
        {
            string text = options.Sentences[rng.Next(options.Sentences.Length)];
            (string b, string v) = VoiceCatalog.Pick(rng, validation: false);
            int wpm = 110 + rng.Next(121), pitch = 25 + rng.Next(51);
            float[] audio = Signal.TrimSilence(Espeak.Render(text, $"{b}+{v}", wpm, pitch));
            Signal.NormalizeRms(audio, (float)(0.03 + 0.2 * rng.NextDouble()));
            spoken.Add(new SpokenPart(speech.Count, text, $"{b}+{v}", wpm, pitch));
            speech.AddRange(audio);
            speech.AddRange(new float[3200 + rng.Next(9600)]);
        }

        var kind = (NoiseKind)rng.Next((int)NoiseKind.Babble); // white, pink, brown or hum: babble is speech
        int snr = rng.Next(31);
        float[] noise = Noise.Generate(kind, speech.Count, rng, []);
        float noiseGain = Signal.Rms(speech.ToArray()) * (float)Math.Pow(10, -snr / 20.0);
        var samples = new short[speech.Count];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = Signal.ToPcm16(speech[i] + noiseGain * noise[i]);
        }

        return new StreamAudio(samples, spoken, kind.ToString().ToLowerInvariant(), snr);
    }

    // The real recordings, read once: speech as recorded, noise at an RMS of 1.
    private sealed record RealAudio(RealSpeech[] Files, float[][] Speech, string[] NoiseNames, float[][] Noise);

    private static RealAudio LoadReal(RealMiningSource source)
    {
        float[][] noise = source.Noise.Select(Signal.ReadWav).ToArray();
        foreach (float[] n in noise)
        {
            Signal.NormalizeRms(n, 1f);
        }

        return new RealAudio(source.Speech.ToArray(), source.Speech.Select(f => Signal.ReadWav(f.Path)).ToArray(),
            source.Noise.Select(Path.GetFileName).ToArray()!, noise);
    }

    // Stream i: real speech file i (round robin), after LeadSamples of noise alone, at a random level, in a
    // random stretch of a random noise recording at 0-30 dB SNR (a new mix on every pass over the files).
    private static StreamAudio RenderReal(RealAudio real, int index, Random rng)
    {
        int file = index % real.Files.Length;
        float[] speech = (float[])real.Speech[file].Clone();
        Signal.NormalizeRms(speech, (float)(0.03 + 0.2 * rng.NextDouble()));
        int n = rng.Next(real.Noise.Length);
        float[] noise = real.Noise[n];
        int offset = rng.Next(noise.Length);
        int snr = rng.Next(31);
        float noiseGain = Signal.Rms(speech) * (float)Math.Pow(10, -snr / 20.0);
        var samples = new short[LeadSamples + speech.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            float voice = i < LeadSamples ? 0 : speech[i - LeadSamples];
            samples[i] = Signal.ToPcm16(voice + noiseGain * noise[(offset + i) % noise.Length]);
        }

        var spoken = new[] { new SpokenPart(LeadSamples, $"[{Path.GetFileName(real.Files[file].Path)}]", $"real:{real.Files[file].Speaker}", 0, 0) };
        return new StreamAudio(samples, spoken, real.NoiseNames[n], snr);
    }

    // Every StepFrames frames, the window ending there: kept when the model scores a keyword above MinScore.
    private static (List<KeptWindow>, int, int) ScanWindows(Interpreter interpreter, string[] labels, MiningOptions options, StreamAudio stream, int index, Random rng)
    {
        short[] samples = stream.Samples;

        // The streaming front end over the whole stream, as on the device.
        var frontEnd = new MicroFrontend(MicroFrontendTableBuilder.Build(new MicroFrontendConfig()));
        int frames = (samples.Length - frontEnd.FrameSamples) / ClipFeatures.StrideSamples + 1;
        var all = new sbyte[frames * SynthesisConstants.Channels];
        var frame = new sbyte[SynthesisConstants.Channels];
        for (int f = 0; f < frames; f++)
        {
            frontEnd.ProcessFrame(samples, f * ClipFeatures.StrideSamples, frame, 0);
            frame.CopyTo(all, f * SynthesisConstants.Channels);
        }

        var clipFeatures = new ClipFeatures();
        var kept = new List<KeptWindow>();
        var input = new byte[SynthesisConstants.FeatureBytes];
        var output = new byte[labels.Length];
        int looked = 0;
        for (int last = SynthesisConstants.Frames - 1; last < frames; last += options.StepFrames)
        {
            Buffer.BlockCopy(all, (last - SynthesisConstants.Frames + 1) * SynthesisConstants.Channels, input, 0, input.Length);
            interpreter.ResetState(); // windows are independent clips, as in training
            interpreter.SetInput(0, input, 0);
            interpreter.Invoke();
            interpreter.GetOutput(0, output, 0);
            looked++;
            int keyword = 2;
            for (int k = 3; k < labels.Length; k++)
            {
                keyword = (sbyte)output[k] > (sbyte)output[keyword] ? k : keyword;
            }

            if ((sbyte)output[keyword] > options.MinScore)
            {
                int endSample = last * ClipFeatures.StrideSamples + frontEnd.FrameSamples;
                var said = stream.Spoken.LastOrDefault(x => x.Start < endSample, stream.Spoken[0]); // the part that last began
                var window = new MinedWindow(labels[keyword], (sbyte)output[keyword], index, endSample * 1000L / SynthesisConstants.SampleRate);
                var info = new ClipInfo(0, 1, "unknown", false, said.Text, said.Voice, said.Wpm, said.Pitch, stream.Noise, stream.SnrDb,
                    $"mined{window.Stream}@{window.EndMs}ms:{window.Keyword}{window.Score}");
                kept.Add(new KeptWindow(AsDatasetClip(samples, last - SynthesisConstants.Frames + 1, clipFeatures, rng), info, window));
            }
        }

        return (kept, looked, samples.Length);
    }

    // A kept window: its features as a dataset clip, its manifest record and why it was kept.
    private sealed record KeptWindow(sbyte[] Features, ClipInfo Info, MinedWindow Window);

    // The window's audio as a dataset clip sees it: a fresh front end with the dataset's random warm-up
    // (ClipFeatures), not the stream's long-settled one. Stored with the stream's state, the mined clips would be
    // the only training clips with a settled front end, and a model learns that cue: every keyword in running
    // speech becomes "unknown" (measured: no keyword found at all by edge-micro recall).
    private static sbyte[] AsDatasetClip(short[] samples, int firstFrame, ClipFeatures clipFeatures, Random rng)
    {
        int first = firstFrame * ClipFeatures.StrideSamples;
        int warmUp = Math.Min(firstFrame, ClipFeatures.RandomWarmUpFrames(rng));
        int start = first - warmUp * ClipFeatures.StrideSamples;
        var clip = new short[warmUp * ClipFeatures.StrideSamples + SynthesisConstants.ClipSamples];
        Array.Copy(samples, start, clip, 0, Math.Min(clip.Length, samples.Length - start)); // the last 10 ms may lie past the end: silence
        var features = new sbyte[SynthesisConstants.FeatureBytes];
        clipFeatures.Extract(clip, features, warmUp);
        return features;
    }
}
