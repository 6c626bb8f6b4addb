using Edge.Micro.TestSupport;
using Edge.Micro.Training.Evaluation;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Training.Tests;

/// <summary>Real recordings in datasets (--import), real noise, other synthesizers, speaker perturbation, and the real-speech set.</summary>
public class RealDataTests(Xunit.Abstractions.ITestOutputHelper log)
{
    // A folder laid out as Speech Commands: <word>/<speaker>_nohash_<n>.wav, _background_noise_/, testing_list.txt.
    private static string SpeechCommandsFolder(out string[] testing)
    {
        string root = Path.Combine(Path.GetTempPath(), "em-sc-" + Guid.NewGuid().ToString("N"));
        var rng = new Random(3);
        void Write(string relative, int samples, double hz)
        {
            string path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var pcm = new short[samples];
            for (int i = 0; i < samples; i++)
            {
                pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * hz * i / 16000) * Math.Sin(Math.PI * i / samples) + rng.Next(-200, 200));
            }

            WavWriter.Write(path, pcm);
        }

        Write("yes/aaaa1111_nohash_0.wav", 16000, 300);
        Write("yes/bbbb2222_nohash_0.wav", 16000, 320);
        Write("no/aaaa1111_nohash_0.wav", 16000, 200);
        Write("no/cccc3333_nohash_1.wav", 14000, 210);
        Write("dog/dddd4444_nohash_0.wav", 16000, 500);
        Write("_background_noise_/hum.wav", 48000, 60);
        testing = ["no/cccc3333_nohash_1.wav"];
        File.WriteAllLines(Path.Combine(root, "testing_list.txt"), testing);
        return root;
    }

    [Fact]
    public void A_speech_commands_folder_gives_its_words_by_speaker_and_its_noise_and_leaves_out_its_test_list()
    {
        string folder = SpeechCommandsFolder(out _);
        RealRecordings r = RealRecordings.Load(folder, "dev");

        Assert.Equal(["dog", "no", "yes", "yes"], r.Words.Select(w => w.Word).Order().ToArray());
        Assert.DoesNotContain(r.Words, w => w.Speaker == "cccc3333");
        Assert.Contains(r.Words, w => w.Word == "no" && w.Speaker == "aaaa1111");
        Assert.Single(r.Noise);
        Assert.Empty(r.Speech);
    }

    [Fact]
    public void An_import_folder_without_words_is_refused_with_the_layouts_it_takes()
    {
        string empty = Directory.CreateTempSubdirectory("em-empty-").FullName;
        var e = Assert.Throws<InvalidDataException>(() => RealRecordings.Load(empty, "dev"));
        Assert.Contains("Speech Commands", e.Message);
        Assert.Throws<InvalidDataException>(() => RealRecordings.Load(Path.Combine(empty, "missing"), "dev"));
    }

    [SkippableFact]
    public void Imported_words_become_augmented_clips_of_their_class_and_whole_speakers_go_to_validation()
    {
        EspeakRequirement.Require();
        string folder = SpeechCommandsFolder(out _);
        var options = new DatasetOptions { Count = 4, Seed = 2, Import = RealRecordings.Load(folder, "dev"), ImportCopies = 3, RecordedNoiseShare = 0.5, ValidationFraction = 0.5 };
        (Dataset data, IReadOnlyList<ClipInfo> infos) = DatasetBuilder.Build(options);

        ClipInfo[] real = infos.Where(i => i.Voice.StartsWith("real:") && i.Effects != "roomtone").ToArray();
        Assert.Equal(4, infos.Count(i => i.Effects == "roomtone" && i.LabelName == "silence")); // one per word recording
        Assert.Equal(4 * 3, real.Length);
        Assert.All(real, c => Assert.Equal(c.Text switch { "yes" => "yes", "no" => "no", _ => "unknown" }, c.LabelName));
        Assert.All(real.GroupBy(c => c.Voice), g => Assert.Single(g.Select(c => c.Validation).Distinct()));
        const int Synthetic = 4 * 2 + 4 + 2;
        Assert.Equal(3, infos.Skip(Synthetic).Count(i => i.LabelName == "silence" && i.Effects != "roomtone")); // one per second of the 3 s noise recording
        Assert.Contains(infos.Take(Synthetic), i => i.Noise.StartsWith("recorded")); // synthetic clips over the real noise
        Assert.Equal(infos.Count, data.Count);
        Assert.Equal(DatasetBuilder.Build(options).Dataset.Features, data.Features);
    }

    [SkippableFact]
    public void Edge_words_start_10_to_25_percent_before_the_window_and_say_so_in_the_manifest()
    {
        EspeakRequirement.Require();
        (Dataset none, IReadOnlyList<ClipInfo> plain) = DatasetBuilder.Build(new DatasetOptions { Count = 4, Seed = 9 });
        (Dataset all, IReadOnlyList<ClipInfo> edged) = DatasetBuilder.Build(new DatasetOptions { Count = 4, Seed = 9, EdgeShare = 1 });

        Assert.All(edged.Where(c => c.LabelName is "yes" or "no" or "unknown"), c => Assert.Contains(ClipSynthesizer.EdgeEffect, c.Effects.Split('+')));
        Assert.All(edged.Where(c => c.LabelName == "silence"), c => Assert.DoesNotContain(ClipSynthesizer.EdgeEffect, c.Effects.Split('+')));
        Assert.DoesNotContain(plain, c => c.Effects.Split('+').Contains(ClipSynthesizer.EdgeEffect));
        var rng = new Random(1);
        Assert.All(Enumerable.Range(0, 1000).Select(_ => ClipSynthesizer.WordStart(8000, rng, 1)), start => Assert.InRange(start, -2000, -800));
        Assert.NotEqual(none.Features, all.Features);
    }

    [Fact]
    public void The_speaker_hash_is_stable_and_splits_about_the_share()
    {
        var o = new DatasetOptions { ValidationFraction = 0.2 };
        string[] speakers = Enumerable.Range(0, 2000).Select(i => $"{i * 7919:x8}").ToArray();
        double share = speakers.Count(s => DatasetBuilder.IsValidationSpeaker(s, o)) / (double)speakers.Length;
        Assert.InRange(share, 0.17, 0.23);
        Assert.Equal(DatasetBuilder.IsValidationSpeaker("0a2b400e", o), DatasetBuilder.IsValidationSpeaker("0a2b400e", o));
    }

    [Fact]
    public void Formant_warping_keeps_the_length_and_moves_a_tone_by_the_factor()
    {
        var tone = new float[16000];
        for (int i = 0; i < tone.Length; i++)
        {
            tone[i] = (float)Math.Sin(2 * Math.PI * 1000 * i / 16000);
        }

        float[] up = SpeakerPerturbation.WarpFormants(tone, 1.15);
        Assert.Equal(tone.Length, up.Length);
        // Energy moves from 1000 Hz to about 1150 Hz (Goertzel over the middle).
        double Power(float[] x, double hz)
        {
            double w = 2 * Math.PI * hz / 16000, s1 = 0, s2 = 0;
            for (int i = 4000; i < 12000; i++)
            {
                double s0 = x[i] + 2 * Math.Cos(w) * s1 - s2;
                s2 = s1;
                s1 = s0;
            }

            return s1 * s1 + s2 * s2 - 2 * Math.Cos(w) * s1 * s2;
        }

        log.WriteLine($"warped 1.15: power at 1000 Hz {Power(up, 1000):E2}, at 1150 Hz {Power(up, 1150):E2}");
        Assert.True(Power(up, 1150) > 10 * Power(up, 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpeakerPerturbation.WarpFormants(tone, 3));
    }

    [SkippableFact]
    public void Flite_and_festival_voices_speak_every_word_and_their_clips_say_which_voice()
    {
        bool installed = File.Exists("/usr/bin/flite") && File.Exists("/usr/bin/festival");
        Assert.False(!installed && Corpus.InCi, "flite and festival are not installed: scripts/install-deps.sh --voices (CI=true)");
        Skip.IfNot(installed, "flite or festival not installed (scripts/install-deps.sh --voices)");
        VoicePool pool = VoicePool.Render(VoicePool.Engines, ["yes", "no"]);
        Assert.Equal(VoicePool.FliteVoices.Length + VoicePool.FestivalVoices.Length, pool.Voices.Count);
        for (int v = 0; v < pool.Voices.Count; v++)
        {
            for (int s = 0; s < VoicePool.Stretches.Length; s++)
            {
                Assert.InRange(pool.Get(v, "yes", s).Length, 1600, 32000);
            }
        }

        // Each call gives a copy (clips filter their speech in place, on many threads).
        float[] first = pool.Get(0, "yes", 1);
        first[0] = 12345f;
        Assert.NotEqual(12345f, pool.Get(0, "yes", 1)[0]);

        // Slower speech is longer.
        Assert.True(pool.Get(1, "no", 2).Length > pool.Get(1, "no", 0).Length);
        Assert.Throws<ArgumentException>(() => pool.Get(0, "maybe", 0));
    }

    [SkippableFact]
    public void A_dataset_with_every_engine_and_imports_is_the_same_for_a_seed_whatever_the_threads()
    {
        EspeakRequirement.Require();
        bool installed = File.Exists("/usr/bin/flite") && File.Exists("/usr/bin/festival");
        Assert.False(!installed && Corpus.InCi, "flite and festival are not installed: scripts/install-deps.sh --voices (CI=true)");
        Skip.IfNot(installed, "flite or festival not installed (scripts/install-deps.sh --voices)");
        var options = new DatasetOptions
        {
            // Every word by a pooled voice, so that many clips draw the same rendering.
            Count = 60, Seed = 4, Unknown = ["dog"], Engines = ["espeak-ng", "flite", "festival"], EngineShare = 1, EdgeShare = 0.5,
            Import = RealRecordings.Load(SpeechCommandsFolder(out _), "dev"), ImportCopies = 2, RecordedNoiseShare = 0.5,
        };
        string parallelWavs = Directory.CreateTempSubdirectory("em-threads-").FullName, serialWavs = Directory.CreateTempSubdirectory("em-serial-").FullName;
        (Dataset parallel, IReadOnlyList<ClipInfo> parallelInfo) = DatasetBuilder.Build(options, wavFolder: parallelWavs);
        (Dataset serial, IReadOnlyList<ClipInfo> serialInfo) = DatasetBuilder.Build(options with { Threads = 1 }, wavFolder: serialWavs);

        Assert.Contains(parallelInfo, c => c.Voice.StartsWith("festival:") || c.Voice.StartsWith("flite:"));
        Assert.Equal(serialInfo, parallelInfo);
        // On a difference, say which clips differ and whether their audio did (the synthesis) or only their features.
        var differing = Enumerable.Range(0, serial.Count).Where(i => !serial.Clip(i).SequenceEqual(parallel.Clip(i))).Select(i =>
        {
            string wav = Path.GetFileName(Directory.GetFiles(serialWavs, $"{i:D6}_*.wav")[0]);
            bool sameAudio = File.ReadAllBytes(Path.Combine(serialWavs, wav)).SequenceEqual(File.ReadAllBytes(Path.Combine(parallelWavs, wav)));
            return $"clip {serialInfo[i]}: {(sameAudio ? "same audio, features differ" : "audio differs")}";
        }).ToList();
        Assert.True(differing.Count == 0, string.Join("; ", differing));
        Directory.Delete(parallelWavs, true);
        Directory.Delete(serialWavs, true);
    }

    [SkippableFact]
    public void The_real_speech_set_splits_whole_speakers_and_knows_which_speech_holds_a_keyword()
    {
        RealSpeechSet set = RealSpeechSet.Load(SharedData.RealSpeech());
        Assert.Equal(["dev", "test"], set.Splits.Order().ToArray());
        var speakersBySplit = set.Recordings.GroupBy(r => r.Speaker).Select(g => g.Select(r => r.Split).Distinct().Count());
        Assert.All(speakersBySplit, n => Assert.Equal(1, n));
        Assert.Contains("speech/ls1089_134691-0000.wav", set.SpeechWithKeywords);
        Assert.All(set.Of("dev", "unknown"), r => Assert.NotEqual("unknown", r.Word));
        Assert.Throws<InvalidDataException>(() => RealRecordings.Load(set.Folder, "train"));

        // The course-project clips have no licence: measured on, never imported for training.
        Assert.Equal(48, set.WithoutLicence.Count(f => f.Contains("emadmahdyes")));
        RealRecordings dev = RealRecordings.Load(set.Folder, "dev");
        Assert.DoesNotContain(dev.Words, w => w.Path.Contains("emadmahdyes"));
        Assert.Equal(set.Of("dev", "yes").Count() - 24, dev.Words.Count(w => w.Word == "yes"));
    }
}
