namespace Edge.Micro.Training.Synthesis;

/// <summary>What one dataset clip holds: recorded in the manifest.</summary>
public sealed record ClipInfo(int Index, int Label, string LabelName, bool Validation, string Text, string Voice, int WordsPerMinute,
    int Pitch, string Noise, int SnrDb, string Effects);

/// <summary>
/// Builds one augmented clip: espeak-ng speech, or a flite or festival voice's word from a <see cref="VoicePool"/>
/// with vocal-tract-length perturbation (or no speech, for silence), with speed perturbation, a synthetic
/// room, a random microphone response, shimmer, breath, background noise at 0-35 dB SNR, random level and
/// position and occasional clipping, preceded by <see cref="SynthesisConstants.WarmUpSamples"/> of the same
/// background (with <c>recordedNoiseShare</c> above 0, that share of clips has a segment of a real noise
/// recording as background instead of a generated noise). Every random choice comes from the clip's own
/// generator, so a clip depends only on the dataset seed and its index.
/// </summary>
public sealed class ClipSynthesizer(IReadOnlyList<float[]> babblePool, IReadOnlyList<float[]>? recordedNoise = null, double recordedNoiseShare = 0,
    VoicePool? voicePool = null, double voicePoolShare = 0, double edgeShare = 0)
{
    /// <summary>
    /// The manifest's effect of a word that starts before the second. (Computing such clips' features only after a
    /// warm-up that heard the word's start was tried: it made more other words into keywords, 54 of 212 real dev
    /// words against 7, and was left out; docs/training.md section 5.)
    /// </summary>
    public const string EdgeEffect = "edge";

    /// <summary>
    /// Where a single word of <paramref name="length"/> samples starts, relative to the start of the second: at a
    /// random place where it fits whole, or (with probability <paramref name="edgeShare"/>, when it spends a draw)
    /// with its first 10-25% before the second (enough to keep the vowel in the window: cutting more made a
    /// lone "s" hiss, which a quiet room resembles, into "yes"), as a word is in a stream while it leaves the model's window: the
    /// recognizer averages over such windows too. Only the start is cut: a window that has heard the end of the
    /// word can tell "yes" from "yeah", one that has heard only its start cannot.
    /// </summary>
    public static int WordStart(int length, Random rng, double edgeShare)
    {
        int room = SynthesisConstants.ClipSamples - length;
        if (edgeShare > 0 && rng.NextDouble() < edgeShare)
        {
            return -(int)((0.1 + 0.15 * rng.NextDouble()) * length);
        }

        return room > 0 ? rng.Next(room) : 0;
    }

    private static readonly string[] Punctuation = ["", ".", "!", "?", ","];

    /// <summary>Total samples returned: warm-up plus the 1 s clip.</summary>
    public const int TotalSamples = SynthesisConstants.WarmUpSamples + SynthesisConstants.ClipSamples;

    /// <summary>
    /// Synthesizes the clip; <paramref name="text"/> null means silence (background only). A word is sped up
    /// if needed to fit the clip whole; a <paramref name="phrase"/> (running speech) keeps its speed and the
    /// clip holds a random second of it. A word <paramref name="inContext"/> is said in running speech: after
    /// the end of a sentence, before the start of one, or both (excerpts of the babble sentences, other voices
    /// at about the word's level), with pauses of 0.1-0.5 s; the word lands whole in the clip and its neighbours
    /// as far as they reach (the speech before the clip goes into the warm-up).
    /// </summary>
    public (short[] Samples, ClipInfo Info) Synthesize(int index, int label, string labelName, string? text, bool phrase, bool validation, Random rng,
        bool inContext = false)
    {
        var effects = new List<string>();
        // No draw is spent on a share of 0, so datasets without recorded noise stay byte for byte the same.
        int recorded = recordedNoise is { Count: > 0 } && recordedNoiseShare > 0 && rng.NextDouble() < recordedNoiseShare ? rng.Next(recordedNoise.Count) : -1;
        NoiseKind kind = (NoiseKind)rng.Next(Enum.GetValues<NoiseKind>().Length);
        float[] mix = recorded >= 0 ? Signal.LoopedSegment(recordedNoise![recorded], TotalSamples, rng) : Noise.Generate(kind, TotalSamples, rng, babblePool);
        string noiseName = recorded >= 0 ? $"recorded{recorded}" : kind.ToString().ToLowerInvariant();
        string voice = "", spoken = "";
        int wpm = 0, pitch = 0, snr;
        if (text == null)
        {
            snr = 0;
            if (rng.NextDouble() < 0.3)
            {
                NoiseKind second = (NoiseKind)rng.Next(Enum.GetValues<NoiseKind>().Length);
                float[] other = Noise.Generate(second, TotalSamples, rng, babblePool);
                float weight = (float)rng.NextDouble();
                for (int i = 0; i < mix.Length; i++)
                {
                    mix[i] += weight * other[i];
                }

                effects.Add("+" + second.ToString().ToLowerInvariant());
            }

            if (rng.NextDouble() < 0.15)
            {
                AddBreath(mix, rng, 1f);
                effects.Add("breath");
            }

            // Level: from near digital silence to loud background.
            Signal.NormalizeRms(mix, (float)Math.Pow(10, (-75 + 55 * rng.NextDouble()) / 20));
        }
        else
        {
            float[] speech;
            // A single word may come from a flite or festival voice; no draw is spent without a pool, so older
            // datasets stay byte for byte the same.
            if (voicePool != null && voicePoolShare > 0 && !phrase && !inContext && rng.NextDouble() < voicePoolShare)
            {
                int v = voicePool.Pick(rng, validation);
                int stretch = rng.Next(VoicePool.Stretches.Length);
                voice = voicePool.Voices[v].ToString();
                spoken = text;
                speech = voicePool.Get(v, text, stretch);
                if (rng.Next(3) > 0)
                {
                    double warp = SpeakerPerturbation.RandomWarp(rng);
                    speech = SpeakerPerturbation.WarpFormants(speech, warp);
                    effects.Add($"vtlp{warp:F2}");
                }
            }
            else
            {
                (string b, string v) = VoiceCatalog.Pick(rng, validation);
                voice = $"{b}+{v}";
                wpm = 110 + rng.Next(121);
                pitch = 20 + rng.Next(61);
                spoken = text + Punctuation[rng.Next(Punctuation.Length)];
                if (rng.Next(4) == 0)
                {
                    spoken = char.ToUpperInvariant(spoken[0]) + spoken[1..];
                }

                speech = Signal.TrimSilence(Espeak.Render(spoken, voice, wpm, pitch));
            }

            int wordStart = 0, wordLength = phrase ? 0 : speech.Length;
            if (inContext)
            {
                string before, after;
                (speech, wordStart, before, after) = InContext(speech, rng);
                spoken = before + spoken + after;
                effects.Add("context");
            }

            speech = Augment(speech, rng, effects, wordLength, out double step);
            wordStart = (int)(wordStart / step);
            wordLength = (int)Math.Ceiling(wordLength / step);
            Signal.NormalizeRms(speech, 1f);
            snr = rng.NextDouble() < 0.85 ? rng.Next(36) : 40 + rng.Next(21);
            float noiseGain = (float)Math.Pow(10, -snr / 20.0);
            for (int i = 0; i < mix.Length; i++)
            {
                mix[i] *= noiseGain;
            }

            // A word lands whole at a random place; longer running speech starts before the clip (in the
            // warm-up or earlier) so that the clip holds a random second of it.
            int room = SynthesisConstants.ClipSamples - speech.Length;
            // A word in context lands whole, its neighbours around it.
            int at = SynthesisConstants.WarmUpSamples + (inContext
                ? rng.Next(Math.Max(1, SynthesisConstants.ClipSamples - wordLength)) - wordStart
                : phrase ? (room > 0 ? rng.Next(room) : -rng.Next(1 - room)) : WordStart(speech.Length, rng, edgeShare));
            if (!phrase && !inContext && at < SynthesisConstants.WarmUpSamples)
            {
                effects.Add(EdgeEffect);
            }

            for (int i = Math.Max(0, -at); i < speech.Length && at + i < mix.Length; i++)
            {
                mix[at + i] += speech[i];
            }

            if (rng.NextDouble() < 0.1)
            {
                AddBreath(mix, rng, 0.3f);
                effects.Add("breath");
            }

            Signal.SetRandomPeak(mix, rng);
        }

        if (rng.NextDouble() < 0.05)
        {
            float gain = (float)Math.Pow(10, (6 + 12 * rng.NextDouble()) / 20);
            System.Numerics.Tensors.TensorPrimitives.Multiply(mix, gain, mix);
            effects.Add("clipped");
        }

        var samples = new short[mix.Length];
        for (int i = 0; i < mix.Length; i++)
        {
            samples[i] = Signal.ToPcm16(mix[i]);
        }

        var info = new ClipInfo(index, label, labelName, validation, spoken, voice, wpm, pitch, noiseName, snr,
            string.Join('+', effects));
        return (samples, info);
    }

    // Speed perturbation, room, microphone response and shimmer; speeds the speech up so that its first
    // mustFit samples' worth (the word) stays shorter than the clip; step > 1 is faster.
    private static float[] Augment(float[] speech, Random rng, List<string> effects, int mustFit, out double step)
    {
        step = rng.NextDouble() < 0.7 ? 0.88 + 0.24 * rng.NextDouble() : 1.0;
        int longest = SynthesisConstants.ClipSamples - 800;
        if (mustFit > 0)
        {
            step = Math.Max(step, (double)mustFit / longest);
        }

        if (step != 1.0)
        {
            speech = Resampler.Resample(speech, step);
            effects.Add($"speed{step:F2}");
        }

        if (rng.NextDouble() < 0.4)
        {
            speech = Signal.Convolve(speech, RoomResponse(rng, out double rt60));
            effects.Add($"room{rt60:F2}");
        }

        Signal.HighPass(speech, 60 + 240 * rng.NextDouble());
        for (int i = 0; i < 2; i++)
        {
            Signal.Peaking(speech, 200 * Math.Pow(30, rng.NextDouble()), -8 + 16 * rng.NextDouble(), 0.7 + 4 * rng.NextDouble());
        }

        if (rng.NextDouble() < 0.3)
        {
            Signal.LowPass(speech, 3000 + 4000 * rng.NextDouble());
            effects.Add("lowpass");
        }

        if (rng.NextDouble() < 0.3)
        {
            double depth = 0.15 * rng.NextDouble(), rate = 2 + 6 * rng.NextDouble(), phase = 2 * Math.PI * rng.NextDouble();
            for (int i = 0; i < speech.Length; i++)
            {
                speech[i] *= (float)(1 + depth * Math.Sin(2 * Math.PI * rate * i / SynthesisConstants.SampleRate + phase));
            }

            effects.Add("shimmer");
        }

        return speech;
    }

    // The word after the tail of a babble sentence, before the head of another, or both (0.3-1.5 s of each,
    // at the word's level +-6 dB), with pauses of 0.1-0.5 s; returns the speech, where the word starts in it
    // and what was said before and after it ("[sentence 12 end] ", " [sentence 3 start]" or "").
    private (float[] Speech, int WordStart, string Before, string After) InContext(float[] word, Random rng)
    {
        int sides = 1 + rng.Next(3); // 1: before, 2: after, 3: both
        float level = Signal.Rms(word);
        var speech = new List<float>();
        string before = "", after = "";
        if ((sides & 1) != 0)
        {
            int sentence = rng.Next(babblePool.Count);
            speech.AddRange(Excerpt(babblePool[sentence], fromEnd: true, level, rng));
            speech.AddRange(new float[1600 + rng.Next(6400)]);
            before = $"[sentence {sentence} end] ";
        }

        int wordStart = speech.Count;
        speech.AddRange(word);
        if ((sides & 2) != 0)
        {
            int sentence = rng.Next(babblePool.Count);
            speech.AddRange(new float[1600 + rng.Next(6400)]);
            speech.AddRange(Excerpt(babblePool[sentence], fromEnd: false, level, rng));
            after = $" [sentence {sentence} start]";
        }

        return (speech.ToArray(), wordStart, before, after);
    }

    private static float[] Excerpt(float[] sentence, bool fromEnd, float level, Random rng)
    {
        float[] trimmed = Signal.TrimSilence(sentence);
        int length = Math.Min(trimmed.Length, 4800 + rng.Next(19200));
        float[] part = trimmed.AsSpan(fromEnd ? trimmed.Length - length : 0, length).ToArray();
        Signal.NormalizeRms(part, level * (float)Math.Pow(10, (-6 + 12 * rng.NextDouble()) / 20));
        return part;
    }

    // A synthetic room: a direct path and exponentially decaying diffuse noise, RT60 0.1-0.6 s (cut at 0.25 s).
    private static float[] RoomResponse(Random rng, out double rt60)
    {
        rt60 = 0.1 + 0.5 * rng.NextDouble();
        int length = (int)(Math.Min(rt60, 0.25) * SynthesisConstants.SampleRate);
        var h = new float[length];
        h[0] = 1;
        double diffuse = 0.1 + 0.4 * rng.NextDouble();
        int firstReflection = 16 + rng.Next(64);
        double decay = -6.9 / (rt60 * SynthesisConstants.SampleRate);
        for (int n = firstReflection; n < length; n++)
        {
            h[n] = (float)(diffuse * Noise.Gaussian(rng) * Math.Exp(decay * n) * 0.1);
        }

        return h;
    }

    // A breath: band-passed noise with a smooth 100-300 ms envelope.
    private static void AddBreath(float[] mix, Random rng, float level)
    {
        int length = (int)((0.1 + 0.2 * rng.NextDouble()) * SynthesisConstants.SampleRate);
        var breath = new float[length];
        for (int i = 0; i < length; i++)
        {
            breath[i] = (float)Noise.Gaussian(rng);
        }

        Signal.HighPass(breath, 500 + 1000 * rng.NextDouble());
        Signal.LowPass(breath, 3000 + 3000 * rng.NextDouble());
        Signal.NormalizeRms(breath, level * (float)(0.1 + 0.5 * rng.NextDouble()));
        int at = SynthesisConstants.WarmUpSamples + rng.Next(SynthesisConstants.ClipSamples - length);
        for (int i = 0; i < length; i++)
        {
            mix[at + i] += breath[i] * (float)Math.Sin(Math.PI * i / length);
        }
    }
}
