using System.Text.RegularExpressions;

namespace Edge.Micro.Training.Evaluation;

/// <summary>One recording of a real-speech set: its path, label (a word, "unknown", "noise" or "speech"), speaker and split.</summary>
public sealed record RealRecording(string Path, string Label, string Word, string Speaker, string Split);

/// <summary>
/// A folder of real human recordings laid out as ../shared/realspeech is: <c>split.tsv</c> (file, label,
/// speaker, split; whole speakers in "dev" or "test"), single words in <c>yes/</c>, <c>no/</c> and
/// <c>unknown/&lt;word&gt;/</c>, background recordings in <c>noise/</c>, continuous speech in <c>speech/</c>. Its
/// MANIFEST.md marks the continuous-speech files known to contain a keyword ("YES: no"), left out of false-alarm
/// counts, and the files without a licence ("none stated"), which are measured on but never trained on.
/// </summary>
public sealed class RealSpeechSet
{
    /// <summary>The file that describes the set.</summary>
    public const string SplitFile = "split.tsv";

    private RealSpeechSet(string folder, IReadOnlyList<RealRecording> recordings, IReadOnlySet<string> speechWithKeywords, IReadOnlySet<string> noLicence)
    {
        Folder = folder;
        Recordings = recordings;
        SpeechWithKeywords = speechWithKeywords;
        WithoutLicence = noLicence;
    }

    /// <summary>Files (relative paths) whose licence MANIFEST.md gives as "none stated": for evaluation only, never trained on.</summary>
    public IReadOnlySet<string> WithoutLicence { get; }

    /// <summary>The set's folder.</summary>
    public string Folder { get; }

    /// <summary>Every recording, in split.tsv order.</summary>
    public IReadOnlyList<RealRecording> Recordings { get; }

    /// <summary>Continuous-speech files (relative paths) that MANIFEST.md says contain a keyword.</summary>
    public IReadOnlySet<string> SpeechWithKeywords { get; }

    /// <summary>The splits named in split.tsv (dev, test).</summary>
    public IEnumerable<string> Splits => Recordings.Select(r => r.Split).Distinct().Order(StringComparer.Ordinal);

    /// <summary>The recordings of one split with one label.</summary>
    public IEnumerable<RealRecording> Of(string split, string label) => Recordings.Where(r => r.Split == split && r.Label == label);

    /// <summary>Reads a set folder; throws <see cref="InvalidDataException"/> when it is not one.</summary>
    public static RealSpeechSet Load(string folder)
    {
        string splitPath = Path.Combine(folder, SplitFile);
        if (!File.Exists(splitPath))
        {
            throw new InvalidDataException($"{folder} is not a real-speech set: {SplitFile} is missing (expected ../shared/realspeech or EDGE_MICRO_REALSPEECH)");
        }

        var recordings = new List<RealRecording>();
        string[] lines = File.ReadAllLines(splitPath);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            string[] f = lines[i].Split('\t');
            if (f.Length < 4)
            {
                throw new InvalidDataException($"{splitPath}:{i + 1}: expected file, label, speaker and split separated by tabs");
            }

            string path = Path.Combine(folder, f[0]);
            if (!File.Exists(path))
            {
                throw new InvalidDataException($"{splitPath}:{i + 1}: {f[0]} is listed but missing");
            }

            // unknown/<word>/x.wav: the word is the folder; yes/x.wav: the label.
            string[] parts = f[0].Split('/');
            string word = f[1] == "unknown" && parts.Length >= 3 ? parts[1] : f[1];
            recordings.Add(new RealRecording(path, f[1], word, f[2], f[3]));
        }

        string manifest = Path.Combine(folder, "MANIFEST.md");
        return new RealSpeechSet(folder, recordings, ManifestFiles(manifest, @"^\| (speech/[^ |]+) \|.*\| YES: "),
            ManifestFiles(manifest, @"^\| ([^ |]+\.wav) \| [^|]* \| none stated \|"));
    }

    // The files of MANIFEST.md's table rows that match: "| speech/x.wav | ... | YES: no | ..." (continuous speech
    // known to hold a keyword), "| yes/x.wav | source | none stated | ..." (no licence).
    private static HashSet<string> ManifestFiles(string manifest, string rowPattern)
    {
        var files = new HashSet<string>();
        if (!File.Exists(manifest))
        {
            return files;
        }

        foreach (string line in File.ReadLines(manifest))
        {
            Match m = Regex.Match(line, rowPattern);
            if (m.Success)
            {
                files.Add(m.Groups[1].Value);
            }
        }

        return files;
    }

    /// <summary>The continuous speech of a split, without the files known to hold a keyword.</summary>
    public IEnumerable<RealRecording> KeywordFreeSpeech(string split) => Of(split, "speech").Where(r => !SpeechWithKeywords.Contains(RelativePath(r)));

    /// <summary>The path of a recording relative to the set's folder, with '/' separators.</summary>
    public string RelativePath(RealRecording r) => Path.GetRelativePath(Folder, r.Path).Replace('\\', '/');
}
