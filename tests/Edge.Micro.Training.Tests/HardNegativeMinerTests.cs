using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.TestSupport;
using Edge.Micro.Training.Evaluation;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Training.Tests;

public class HardNegativeMinerTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private static readonly string[] Labels = ["silence", "unknown", "yes", "no"];

    private static Model ShippedModel() => new(File.ReadAllBytes(Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm")));

    [Fact]
    public void Default_mining_sentences_hold_no_keyword_and_none_is_a_sentence_the_false_alarm_streams_measure()
    {
        string[] measured = KeywordFreeSpeech.All.SelectMany(s => s.Sentences).ToArray();
        foreach (string sentence in HardNegativeMiner.DefaultSentences)
        {
            string[] words = sentence.ToLowerInvariant().Split([' ', ',', '.', '?', '!'], StringSplitOptions.RemoveEmptyEntries);
            Assert.DoesNotContain(words, w => w is "yes" or "no" or "know");
            Assert.DoesNotContain(sentence, measured);
        }
    }

    [Fact]
    public void A_sentence_that_says_a_keyword_or_its_homophone_is_refused_before_anything_is_rendered()
    {
        foreach (string bad in new[] { "Yes, I will.", "I know the way." })
        {
            var e = Assert.Throws<ArgumentException>(() => HardNegativeMiner.Mine(ShippedModel(), ManagedKernels.Instance, Labels,
                new MiningOptions { Sentences = ["Yeah, fine.", bad] }));
            Assert.Contains(bad, e.Message);
        }
    }

    [Fact]
    public void A_model_whose_outputs_do_not_match_the_labels_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => HardNegativeMiner.Mine(ShippedModel(), ManagedKernels.Instance, ["silence", "unknown", "yes"], new MiningOptions()));
        Assert.Contains("3 outputs", e.Message);
    }

    [SkippableFact]
    public void Mined_windows_are_those_the_model_scored_as_a_keyword_and_a_seed_gives_the_same_windows()
    {
        EspeakRequirement.Require();
        Model model = ShippedModel();
        var options = new MiningOptions { Streams = 6, MinScore = 32, Seed = 4 };
        MiningResult mined = HardNegativeMiner.Mine(model, ManagedKernels.Instance, Labels, options);
        MiningResult again = HardNegativeMiner.Mine(model, ManagedKernels.Instance, Labels, options with { Threads = 1 });
        MiningResult other = HardNegativeMiner.Mine(model, ManagedKernels.Instance, Labels, options with { Seed = 5 });

        Assert.NotEmpty(mined.Infos);
        Assert.True(mined.Infos.Count < mined.WindowsLookedAt, $"{mined.Infos.Count} of {mined.WindowsLookedAt} windows kept: the model cannot take every window for a keyword");
        Assert.Equal(mined.Features, again.Features);
        Assert.Equal(mined.Infos, again.Infos);
        Assert.Equal(mined.Windows, again.Windows);
        Assert.NotEqual(mined.Features, other.Features);

        // Kept windows are those the model scored as a keyword in the stream (the manifest says which); stored as
        // dataset clips of the same audio (a fresh front end), most of them still score as a keyword.
        var interpreter = new Interpreter(model, ManagedKernels.Instance);
        var scores = new byte[Labels.Length];
        int stillKeyword = 0;
        for (int i = 0; i < mined.Infos.Count; i++)
        {
            MinedWindow window = mined.Windows[i];
            Assert.True(window.Score > options.MinScore && window.Keyword is "yes" or "no", $"{window}");
            Assert.Equal($"mined{window.Stream}@{window.EndMs}ms:{window.Keyword}{window.Score}", mined.Infos[i].Effects);
            interpreter.SetInput(0, (byte[])(Array)mined.Features.AsSpan(i * SynthesisConstants.FeatureBytes, SynthesisConstants.FeatureBytes).ToArray(), 0);
            interpreter.Invoke();
            interpreter.GetOutput(0, scores, 0);
            stillKeyword += Math.Max((sbyte)scores[2], (sbyte)scores[3]) > Math.Max((sbyte)scores[0], (sbyte)scores[1]) ? 1 : 0;
            Assert.Equal(("unknown", 1, false), (mined.Infos[i].LabelName, mined.Infos[i].Label, mined.Infos[i].Validation));
            Assert.Contains(mined.Infos[i].Text, HardNegativeMiner.DefaultSentences);
            Assert.False(VoiceCatalog.IsHeldOut(mined.Infos[i].Voice.Split('+')[0], mined.Infos[i].Voice.Split('+')[1]), $"{mined.Infos[i].Voice} is a held-out voice");
        }

        log.WriteLine($"{mined.Infos.Count} of {mined.WindowsLookedAt} windows kept; as dataset clips {stillKeyword} still score as a keyword");
        Assert.True(2 * stillKeyword > mined.Infos.Count, $"only {stillKeyword} of {mined.Infos.Count} mined clips score as a keyword");

        MiningResult capped = HardNegativeMiner.Mine(model, ManagedKernels.Instance, Labels, options with { MaxClips = 3 });
        Assert.Equal(mined.Features.AsSpan(0, 3 * SynthesisConstants.FeatureBytes).ToArray(), capped.Features);
    }

    [SkippableFact]
    public void Real_speech_mining_keeps_windows_of_the_given_recordings_in_their_noise_and_a_seed_gives_the_same_windows()
    {
        RealRecordings dev = RealRecordings.Load(SharedData.RealSpeech(), "dev");
        var source = new RealMiningSource(dev.Speech.Take(3).ToArray(), dev.Noise);
        var options = new MiningOptions { Real = source, Streams = 6, MinScore = -60, Seed = 4 };
        MiningResult mined = HardNegativeMiner.Mine(ShippedModel(), ManagedKernels.Instance, Labels, options);
        MiningResult again = HardNegativeMiner.Mine(ShippedModel(), ManagedKernels.Instance, Labels, options with { Threads = 1 });

        Assert.NotEmpty(mined.Infos);
        Assert.True(mined.Infos.Count < mined.WindowsLookedAt, $"{mined.Infos.Count} of {mined.WindowsLookedAt} windows kept");
        Assert.Equal(mined.Features, again.Features);
        Assert.Equal(mined.Infos, again.Infos);

        // Six streams go twice round the three files, each after a second of noise alone.
        double seconds = source.Speech.Sum(f => (double)Edge.Micro.Host.Audio.WavReader.Read(f.Path).Samples.Length) / SynthesisConstants.SampleRate;
        Assert.Equal(2 * (seconds + 3.0), mined.StreamSeconds, 3);
        string[] noiseNames = source.Noise.Select(Path.GetFileName).ToArray()!;
        for (int i = 0; i < mined.Infos.Count; i++)
        {
            ClipInfo info = mined.Infos[i];
            RealSpeech file = source.Speech[mined.Windows[i].Stream % source.Speech.Count];
            Assert.Equal(($"[{Path.GetFileName(file.Path)}]", $"real:{file.Speaker}"), (info.Text, info.Voice));
            Assert.Contains(info.Noise, noiseNames);
            Assert.InRange(info.SnrDb, 0, 30);
            Assert.Equal(("unknown", 1, false), (info.LabelName, info.Label, info.Validation));
        }
    }

    [Fact]
    public void Real_speech_mining_without_noise_recordings_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => HardNegativeMiner.Mine(ShippedModel(), ManagedKernels.Instance, Labels,
            new MiningOptions { Real = new RealMiningSource([new RealSpeech("speech.wav", "s1")], []) }));
        Assert.Contains("noise recording", e.Message);
    }

    [Fact]
    public void An_extended_dataset_is_the_original_plus_the_added_training_clips_and_cannot_be_extended_twice_under_one_name()
    {
        string root = Path.Combine(Path.GetTempPath(), "edge-micro-extend-" + Guid.NewGuid().ToString("N"));
        try
        {
            var features = new sbyte[3 * SynthesisConstants.FeatureBytes];
            new Random(2).NextBytes((byte[])(Array)features);
            var original = new Dataset(Labels, features, [2, 3, 0], [false, true, false]);
            original.Save(Path.Combine(root, "a"), [Info(0, 2, "yes"), Info(1, 3, "no", true), Info(2, 0, "silence")], []);

            var added = new sbyte[2 * SynthesisConstants.FeatureBytes];
            new Random(3).NextBytes((byte[])(Array)added);
            Dataset.Load(Path.Combine(root, "a")).SaveExtended(Path.Combine(root, "a"), Path.Combine(root, "b"), added, [Info(0, 1, "unknown"), Info(0, 1, "unknown")], "mined", new() { ["n"] = 2 });

            Dataset extended = Dataset.Load(Path.Combine(root, "b"));
            Assert.Equal([2, 3, 0, 1, 1], extended.ClipLabels);
            Assert.Equal([false, true, false, false, false], extended.Validation);
            Assert.Equal(features.Concat(added).ToArray(), extended.Features);
            string[] manifest = File.ReadAllLines(Path.Combine(root, "b", Dataset.ManifestFile));
            Assert.Equal(6, manifest.Length);
            Assert.StartsWith("4,unknown,train,", manifest[5]);
            Assert.Equal(features, Dataset.Load(Path.Combine(root, "a")).Features);

            Assert.Throws<InvalidDataException>(() => extended.SaveExtended(Path.Combine(root, "b"), Path.Combine(root, "c"), added,
                [Info(0, 1, "unknown"), Info(0, 1, "unknown")], "mined", []));
            // The folder must hold the dataset being extended (its manifest and description are copied).
            Assert.Throws<ArgumentException>(() => original.SaveExtended(Path.Combine(root, "b"), Path.Combine(root, "c"), added,
                [Info(0, 1, "unknown")], "other", []));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        static ClipInfo Info(int index, int label, string name, bool validation = false) =>
            new(index, label, name, validation, name, "en-us+m1", 150, 50, "white", 20, "");
    }
}
