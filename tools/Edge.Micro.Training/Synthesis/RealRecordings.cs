using Edge.Micro.Training.Evaluation;

namespace Edge.Micro.Training.Synthesis;

/// <summary>A real recording of one spoken word, by a speaker.</summary>
public sealed record RealWord(string Path, string Word, string Speaker);

/// <summary>A real continuous-speech recording (no keyword in it, as far as its source says), by a speaker.</summary>
public sealed record RealSpeech(string Path, string Speaker);

/// <summary>
/// Real recordings to train on, read from a folder in one of two layouts:
/// <list type="bullet">
/// <item>Speech Commands: <c>&lt;word&gt;/&lt;speaker&gt;_nohash_&lt;n&gt;.wav</c> and <c>_background_noise_/*.wav</c>; clips
/// listed in its <c>testing_list.txt</c> are left out (they are its test partition).</item>
/// <item>A real-speech set with <c>split.tsv</c> (../shared/realspeech): only the recordings of one split, its
/// words, noise and continuous speech (files its MANIFEST.md marks as holding a keyword, or as having no licence,
/// left out).</item>
/// </list>
/// </summary>
public sealed record RealRecordings(string Folder, IReadOnlyList<RealWord> Words, IReadOnlyList<string> Noise, IReadOnlyList<RealSpeech> Speech)
{
    /// <summary>Speech Commands' folder of background noise.</summary>
    public const string SpeechCommandsNoiseFolder = "_background_noise_";

    /// <summary>Reads a folder; <paramref name="split"/> chooses the split of a set with split.tsv (ignored otherwise).</summary>
    public static RealRecordings Load(string folder, string split)
    {
        if (!Directory.Exists(folder))
        {
            throw new InvalidDataException($"import folder not found: {folder}");
        }

        RealRecordings recordings = File.Exists(Path.Combine(folder, RealSpeechSet.SplitFile))
            ? FromSplitSet(RealSpeechSet.Load(folder), split)
            : FromSpeechCommands(folder);
        if (recordings.Words.Count == 0)
        {
            throw new InvalidDataException($"{folder} holds no word recordings (expected <word>/*.wav as Speech Commands lays them out, or a split.tsv)");
        }

        return recordings;
    }

    private static RealRecordings FromSplitSet(RealSpeechSet set, string split)
    {
        if (!set.Splits.Contains(split))
        {
            throw new InvalidDataException($"{set.Folder} has no split '{split}' (it has {string.Join(", ", set.Splits)})");
        }

        // Recordings without a licence are for evaluation only (the set's MANIFEST.md): never trained on.
        var mine = set.Recordings.Where(r => r.Split == split && !set.WithoutLicence.Contains(set.RelativePath(r))).ToArray();
        return new RealRecordings(set.Folder,
            mine.Where(r => r.Label is not ("noise" or "speech")).Select(r => new RealWord(r.Path, r.Word, r.Speaker)).ToArray(),
            mine.Where(r => r.Label == "noise").Select(r => r.Path).ToArray(),
            set.KeywordFreeSpeech(split).Where(r => !set.WithoutLicence.Contains(set.RelativePath(r))).Select(r => new RealSpeech(r.Path, r.Speaker)).ToArray());
    }

    private static RealRecordings FromSpeechCommands(string folder)
    {
        string testingList = Path.Combine(folder, "testing_list.txt");
        var testing = File.Exists(testingList)
            ? File.ReadAllLines(testingList).Select(l => l.Trim()).Where(l => l.Length > 0).ToHashSet()
            : [];
        var words = new List<RealWord>();
        var noise = new List<string>();
        foreach (string dir in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(dir);
            string[] wavs = Directory.GetFiles(dir, "*.wav").Order(StringComparer.Ordinal).ToArray();
            if (name == SpeechCommandsNoiseFolder)
            {
                noise.AddRange(wavs);
                continue;
            }

            foreach (string wav in wavs)
            {
                if (testing.Contains($"{name}/{Path.GetFileName(wav)}"))
                {
                    continue;
                }

                string file = Path.GetFileNameWithoutExtension(wav);
                int cut = file.IndexOf("_nohash_", StringComparison.Ordinal);
                words.Add(new RealWord(wav, name.ToLowerInvariant(), cut > 0 ? file[..cut] : file));
            }
        }

        return new RealRecordings(folder, words, noise, []);
    }
}
