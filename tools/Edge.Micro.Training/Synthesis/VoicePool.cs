using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Edge.Micro.Training.Synthesis;

/// <summary>A voice of a synthesizer other than espeak-ng: flite or festival (Debian packages), built from recordings of real speakers.</summary>
public sealed record EngineVoice(string Engine, string Name, string Description)
{
    /// <summary>"engine:name", as the manifest records it.</summary>
    public override string ToString() => $"{Engine}:{Name}";
}

/// <summary>
/// Words pre-rendered by flite and festival voices (diphone, cluster-unit and HTS voices built from recordings
/// of real speakers, some of them speaking other languages and reading English with their accent), each at
/// several speeds; dataset clips draw from it and augment what they draw. Rendering once per word, voice and
/// speed keeps a dataset build fast (festival needs about 0.3 s to start).
/// </summary>
public sealed class VoicePool
{
    /// <summary>flite's voices (Debian package flite).</summary>
    public static readonly EngineVoice[] FliteVoices =
    [
        new("flite", "kal", "US English male, diphone, 8 kHz"), new("flite", "kal16", "US English male, diphone"),
        new("flite", "awb", "Scottish English male, cluster units"), new("flite", "rms", "US English male, cluster units"),
        new("flite", "slt", "US English female, cluster units"),
    ];

    /// <summary>festival's voices that speak English text (Debian packages festival and festvox-*).</summary>
    public static readonly EngineVoice[] FestivalVoices =
    [
        new("festival", "kal_diphone", "US English male (festvox-kallpc16k)"), new("festival", "ked_diphone", "US English male (festvox-kdlpc16k)"),
        new("festival", "cmu_us_slt_arctic_hts", "US English female, HTS (festvox-us-slt-hts)"),
        new("festival", "czech_dita", "Czech female reading English"), new("festival", "czech_krb", "Czech boy reading English"),
        new("festival", "czech_machac", "Czech male reading English"), new("festival", "czech_ph", "Czech male reading English"),
        new("festival", "suo_fi_lj_diphone", "Finnish female reading English"), new("festival", "hy_fi_mv_diphone", "Finnish male reading English"),
        new("festival", "lp_diphone", "Italian female reading English"), new("festival", "pc_diphone", "Italian male reading English"),
        new("festival", "msu_ru_nsh_clunits", "Russian male reading English"), new("festival", "upc_ca_ona_hts", "Catalan female reading English, HTS"),
    ];

    /// <summary>Voices that speak only validation clips.</summary>
    public static readonly string[] HeldOut = ["flite:rms", "festival:czech_krb", "festival:lp_diphone"];

    /// <summary>Speeds each word is rendered at (duration stretch: above 1 is slower).</summary>
    public static readonly double[] Stretches = [0.85, 1.0, 1.2];

    /// <summary>The engines this pool can draw from.</summary>
    public static readonly string[] Engines = ["flite", "festival"];

    private readonly Dictionary<string, int> _texts;
    private readonly float[][][][] _audio; // [voice][text][stretch]

    private VoicePool(EngineVoice[] voices, string[] texts, float[][][][] audio)
    {
        Voices = voices;
        _texts = texts.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        _audio = audio;
    }

    /// <summary>The pool's voices.</summary>
    public IReadOnlyList<EngineVoice> Voices { get; }

    /// <summary>True when a voice speaks only validation clips.</summary>
    public static bool IsHeldOut(EngineVoice v) => HeldOut.Contains(v.ToString());

    /// <summary>Renders every text with every voice of the engines at every speed; <paramref name="progress"/> gets (voices done, voices).</summary>
    public static VoicePool Render(string[] engines, string[] texts, Action<int, int>? progress = null)
    {
        foreach (string engine in engines)
        {
            string program = engine == "flite" ? "flite" : "festival";
            if (!ProgramExists(program))
            {
                throw new SpeechSynthesisException($"{program} is not installed; install the Debian packages flite, festival and festvox-* (scripts/install-deps.sh --voices)");
            }
        }

        EngineVoice[] voices = [.. engines.Contains("flite") ? FliteVoices : [], .. engines.Contains("festival") ? FestivalVoices : []];
        var audio = new float[voices.Length][][][];
        int done = 0;
        Parallel.For(0, voices.Length, v =>
        {
            audio[v] = voices[v].Engine == "flite" ? RenderFlite(voices[v], texts) : RenderFestival(voices[v], texts);
            progress?.Invoke(Interlocked.Increment(ref done), voices.Length);
        });
        return new VoicePool(voices, texts, audio);
    }

    /// <summary>
    /// A word as a voice said it at one of <see cref="Stretches"/> (trimmed, RMS not set): a copy, since clips filter
    /// their speech in place and many clips on many threads draw the same rendering.
    /// </summary>
    public float[] Get(int voice, string text, int stretch) =>
        (float[])_audio[voice][_texts.TryGetValue(text, out int t) ? t : throw new ArgumentException($"'{text}' was not rendered")][stretch].Clone();

    /// <summary>Picks a voice for a split (held-out voices for validation).</summary>
    public int Pick(Random rng, bool validation)
    {
        int[] candidates = Enumerable.Range(0, Voices.Count).Where(v => IsHeldOut(Voices[v]) == validation).ToArray();
        return candidates.Length > 0 ? candidates[rng.Next(candidates.Length)] : rng.Next(Voices.Count);
    }

    private static float[][][] RenderFlite(EngineVoice voice, string[] texts)
    {
        string dir = Directory.CreateTempSubdirectory("edge-micro-flite-").FullName;
        try
        {
            var result = new float[texts.Length][][];
            for (int t = 0; t < texts.Length; t++)
            {
                result[t] = new float[Stretches.Length][];
                for (int s = 0; s < Stretches.Length; s++)
                {
                    string wav = Path.Combine(dir, "out.wav");
                    Run("flite", ["-voice", voice.Name, "--setf", $"duration_stretch={Stretches[s].ToString(CultureInfo.InvariantCulture)}", "-t", texts[t], "-o", wav]);
                    result[t][s] = Read(wav, voice, texts[t]);
                }
            }

            return result;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    // One festival process per voice: a Scheme script saves every text at every speed, then the files are read.
    private static float[][][] RenderFestival(EngineVoice voice, string[] texts)
    {
        string dir = Directory.CreateTempSubdirectory("edge-micro-festival-").FullName;
        try
        {
            var script = new StringBuilder($"(voice_{voice.Name})\n");
            for (int s = 0; s < Stretches.Length; s++)
            {
                script.Append($"(Parameter.set 'Duration_Stretch {Stretches[s].ToString(CultureInfo.InvariantCulture)})\n");
                for (int t = 0; t < texts.Length; t++)
                {
                    string text = texts[t].Replace("\\", "").Replace("\"", "");
                    script.Append($"(utt.save.wave (utt.synth (Utterance Text \"{text}\")) \"{Path.Combine(dir, $"{t}_{s}.wav")}\" 'riff)\n");
                }
            }

            string scriptPath = Path.Combine(dir, "render.scm");
            File.WriteAllText(scriptPath, script.ToString());
            Run("festival", ["-b", scriptPath]);
            var result = new float[texts.Length][][];
            for (int t = 0; t < texts.Length; t++)
            {
                result[t] = Enumerable.Range(0, Stretches.Length).Select(s => Read(Path.Combine(dir, $"{t}_{s}.wav"), voice, texts[t])).ToArray();
            }

            return result;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static float[] Read(string wav, EngineVoice voice, string text)
    {
        if (!File.Exists(wav))
        {
            throw new SpeechSynthesisException($"{voice} wrote no audio for '{text}' (is its festvox package installed?)");
        }

        float[] samples = Signal.ReadWav(wav);
        float[] trimmed = Signal.TrimSilence(samples);
        return trimmed.Length > 0 ? trimmed : throw new SpeechSynthesisException($"{voice} gave silence for '{text}'");
    }

    private static void Run(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start) ?? throw new SpeechSynthesisException($"{program} did not start");
        Task<string> errors = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new SpeechSynthesisException($"{program} failed ({p.ExitCode}): {errors.Result.Trim()}");
        }
    }

    private static bool ProgramExists(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));
}
