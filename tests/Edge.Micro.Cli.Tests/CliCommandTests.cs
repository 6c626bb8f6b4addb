using System.Text.Json;
using Edge.Micro.TestSupport;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Cli.Tests;

/// <summary>The edge-micro commands end to end, in process.</summary>
public class CliCommandTests
{
    internal static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "edge-micro-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Theory]
    [InlineData("convert")]
    [InlineData("inspect")]
    [InlineData("run")]
    [InlineData("verify")]
    [InlineData("dataset")]
    [InlineData("train")]
    [InlineData("evaluate")]
    [InlineData("false-alarms")]
    [InlineData("recall")]
    [InlineData("mine")]
    [InlineData("synth")]
    [InlineData("real-speech")]
    public void Every_command_has_help(string command)
    {
        var r = CliRunner.Run(command, "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Usage:", r.Out);
        Assert.Contains(command, r.Out);
    }

    [SkippableFact]
    public void Real_speech_measures_models_side_by_side_on_a_split_and_refuses_what_is_not_a_set()
    {
        string set = SharedData.RealSpeech();
        string microSpeech = Corpus.PathOf("models", "micro_speech_quantized.tflite");
        var r = CliRunner.Run("real-speech", microSpeech, "--data", set, "--split", "dev", "--snr", "20", "--threshold", "no=190", "--json");
        Assert.Equal(0, r.ExitCode);
        using JsonDocument json = JsonDocument.Parse(r.Out.Trim());
        Assert.Equal("yes 200, no 190", string.Join(", ", json.RootElement.GetProperty("thresholds").EnumerateArray()
            .Select(t => $"{t.GetProperty("keyword").GetString()} {t.GetProperty("threshold").GetInt32()}")));
        JsonElement yes = json.RootElement.GetProperty("keywords").EnumerateArray().Single(k => k.GetProperty("keyword").GetString() == "yes");
        Assert.Equal(134, yes.GetProperty("clips").GetInt32());
        Assert.InRange(yes.GetProperty("found").GetInt32(), 1, 134);
        Assert.Equal(212, json.RootElement.GetProperty("otherWords").GetProperty("clips").GetInt32());
        Assert.Equal(20, json.RootElement.GetProperty("speech")[0].GetProperty("snrDb").GetInt32());

        var notASet = CliRunner.Run("real-speech", microSpeech, "--data", TempDir());
        Assert.Equal(2, notASet.ExitCode);
        Assert.Contains("split.tsv", notASet.Err);
        var noSplit = CliRunner.Run("real-speech", microSpeech, "--data", set, "--split", "train");
        Assert.Equal(2, noSplit.ExitCode);
        Assert.Contains("dev, test", noSplit.Err);
    }

    [SkippableFact]
    public void Real_speech_held_out_measures_only_the_speakers_a_dataset_holds_out_of_training()
    {
        string set = SharedData.RealSpeech();
        string microSpeech = Corpus.PathOf("models", "micro_speech_quantized.tflite");
        var r = CliRunner.Run("real-speech", microSpeech, "--data", set, "--split", "dev", "--snr", "20", "--held-out", "0.1", "--json");
        Assert.Equal(0, r.ExitCode);
        using JsonDocument json = JsonDocument.Parse(r.Out.Trim());
        var speakers = Edge.Micro.Training.Evaluation.RealSpeechSet.Load(set).Recordings
            .Where(x => x.Split == "dev" && x.Label == "yes"
                && Edge.Micro.Training.Synthesis.DatasetBuilder.IsValidationSpeaker(x.Speaker, new Edge.Micro.Training.Synthesis.DatasetOptions()))
            .ToArray();
        JsonElement yes = json.RootElement.GetProperty("keywords").EnumerateArray().Single(k => k.GetProperty("keyword").GetString() == "yes");
        Assert.Equal(speakers.Length, yes.GetProperty("clips").GetInt32());
        Assert.InRange(speakers.Length, 1, 133);

        var bad = CliRunner.Run("real-speech", microSpeech, "--data", set, "--held-out", "1.5");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--held-out", bad.Err);
    }

    [Fact]
    public void Root_help_lists_the_commands()
    {
        var r = CliRunner.Run("--help");
        Assert.Equal(0, r.ExitCode);
        foreach (string c in new[] { "convert", "inspect", "run", "verify" })
        {
            Assert.Contains(c, r.Out);
        }
    }

    [Fact]
    public void Missing_model_is_one_line_and_exit_code_2()
    {
        var r = CliRunner.Run("inspect", "/nonexistent/model.tflite");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: model file not found", r.Err);
        Assert.Single(r.Err.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("3601")]
    public void A_gateway_answer_timeout_outside_an_hour_is_refused_before_it_connects(string seconds)
    {
        var r = CliRunner.Run("gateway", "--device", "dev1=/tmp/no-such-pty", "--answer-timeout", seconds);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"error: --answer-timeout {seconds}: give seconds above 0 (at most 3600)", r.Err);
    }

    [Fact]
    public void A_text_file_is_refused_as_a_model()
    {
        string file = Path.Combine(TempDir(), "notes.tflite");
        File.WriteAllText(file, "this is not a model");
        var r = CliRunner.Run("inspect", file);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("neither a TFLite model", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void Verbose_shows_the_stack_trace()
    {
        string file = Path.Combine(TempDir(), "notes.tflite");
        File.WriteAllText(file, "this is not a model");
        var r = CliRunner.Run("inspect", file, "--verbose");
        Assert.Contains("   at ", r.Err);
    }

    [Fact]
    public void Unknown_option_is_a_usage_error()
    {
        var r = CliRunner.Run("convert", "--no-such-option");
        Assert.Equal(2, r.ExitCode);
    }

    [SkippableFact]
    public void Convert_writes_emm_c_and_csharp_and_prints_json()
    {
        string dir = TempDir();
        var r = CliRunner.Run("convert", Corpus.PathOf("models", "micro_speech_quantized.tflite"), "-o", dir, "--json");
        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        JsonElement root = json.RootElement;
        Assert.True(root.GetProperty("arenaBytes").GetInt32() <= 7312);
        Assert.True(root.GetProperty("arenaLowerBound").GetInt32() <= root.GetProperty("arenaBytes").GetInt32());
        Assert.Equal(new FileInfo(Path.Combine(dir, "micro_speech_quantized.emm")).Length, root.GetProperty("modelBytes").GetInt32());
        Assert.Equal("DEPTHWISE_CONV_2D", root.GetProperty("ops")[1].GetProperty("op").GetString());
        Assert.Equal(320000, root.GetProperty("ops")[1].GetProperty("macs").GetInt64());
        Assert.Equal(1, root.GetProperty("inputs").GetArrayLength());
        string c = File.ReadAllText(Path.Combine(dir, "micro_speech_quantized.c"));
        Assert.Contains("const uint8_t micro_speech_quantized_emm[", c);
        Assert.Contains("aligned(16)", c);
        Assert.Contains("arena bytes:", File.ReadAllText(Path.Combine(dir, "micro_speech_quantized.h")));
        Assert.Contains("Resources.GetBytes", File.ReadAllText(Path.Combine(dir, "micro_speech_quantized.cs")));
    }

    [SkippableFact]
    public void The_c_array_compiles_and_names_itself_the_image_model_byte_for_byte()
    {
        Skip.IfNot(File.Exists("/usr/bin/cc"), "no C compiler");
        string dir = TempDir();
        Assert.Equal(0, CliRunner.Run("convert", Corpus.PathOf("models", "micro_speech_quantized.tflite"), "-o", dir).ExitCode);
        byte[] emm = File.ReadAllBytes(Path.Combine(dir, "micro_speech_quantized.emm"));

        // What the interop's FlashModel reads on an image: edge_micro_image_model, 16-byte aligned, the .emm's bytes.
        File.WriteAllText(Path.Combine(dir, "check.c"), $$"""
            #include <stdio.h>
            #include <string.h>
            #include "micro_speech_quantized.h"
            extern const uint8_t *const edge_micro_image_model;
            extern const uint32_t edge_micro_image_model_bytes;
            int main(void)
            {
                FILE *f = fopen("micro_speech_quantized.emm", "rb");
                static uint8_t file[{{emm.Length}}];
                size_t n = fread(file, 1, sizeof file, f);
                fclose(f);
                int ok = edge_micro_image_model == micro_speech_quantized_emm && edge_micro_image_model_bytes == n
                    && n == MICRO_SPEECH_QUANTIZED_EMM_BYTES && ((uintptr_t)edge_micro_image_model % 16) == 0
                    && memcmp(edge_micro_image_model, file, n) == 0;
                puts(ok ? "same" : "different");
                return ok ? 0 : 1;
            }
            """);
        var cc = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/cc", "-std=c99 -Wall -Werror -o check check.c micro_speech_quantized.c")
        {
            WorkingDirectory = dir,
            RedirectStandardError = true,
        })!;
        string errors = cc.StandardError.ReadToEnd();
        cc.WaitForExit();
        Assert.True(cc.ExitCode == 0, errors);
        var run = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Path.Combine(dir, "check")) { WorkingDirectory = dir, RedirectStandardOutput = true })!;
        Assert.Equal("same", run.StandardOutput.ReadToEnd().Trim());
        run.WaitForExit();
        Assert.Equal(0, run.ExitCode);
    }

    [SkippableFact]
    public void Verify_passes_the_corpus_and_reports_json()
    {
        var r = CliRunner.Run("verify", Corpus.PathOf("models", "ds_cnn_s_quantized.tflite"), "--goldens", Corpus.PathOf("ds_cnn_s"), "--json");
        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        Assert.Equal(8, json.RootElement.GetProperty("cases").GetInt32());
        Assert.Equal(8, json.RootElement.GetProperty("passed").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("failed").GetArrayLength());
    }

    /// <summary>Corpus folders built for sections 9-14 (int16 activations, LSTM, int16 softmax, several inputs/outputs).</summary>
    public static TheoryData<string, string> NewOpFolders()
    {
        var data = new TheoryData<string, string>();
        foreach (string folder in new[] { "int16_activations", "lstm", "softmax_int16_out", "multi_io" })
        {
            foreach (string kernels in new[] { "managed", "native" })
            {
                data.Add(folder, kernels);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(NewOpFolders))]
    public void Verify_passes_every_case_of_the_new_op_folders(string folder, string kernels)
    {
        // Each model in <folder>/models/<name>.tflite has its goldens in <folder>/<name>/ (one case or several).
        if (kernels == "native" && !Edge.Micro.Host.Native.NativeMethods.IsAvailable)
        {
            Assert.False(Corpus.InCi, "CI=true: the native kernels must be built (scripts/build-native.sh)");
            Skip.If(true, "native kernels not built (scripts/build-native.sh)");
        }

        string[] models = Directory.GetFiles(Corpus.PathOf(folder, "models"), "*.tflite");
        Assert.NotEmpty(models);
        foreach (string model in models)
        {
            string goldens = Corpus.PathOf(folder, Path.GetFileNameWithoutExtension(model));
            var r = CliRunner.Run("verify", model, "--goldens", goldens, "--kernels", kernels, "--json");
            Assert.True(r.ExitCode == 0, $"{Path.GetFileName(model)}: {r.Out}{r.Err}");
            using var json = JsonDocument.Parse(r.Out);
            Assert.Equal(json.RootElement.GetProperty("cases").GetInt32(), json.RootElement.GetProperty("passed").GetInt32());
        }
    }

    [SkippableFact]
    public void Verify_fails_with_exit_1_when_a_golden_differs()
    {
        string cases = TempDir();
        string one = Path.Combine(cases, "tampered");
        Directory.CreateDirectory(one);
        File.Copy(Corpus.PathOf("micro_speech", "rand_seed1", "input.bin"), Path.Combine(one, "input.bin"));
        byte[] output = File.ReadAllBytes(Corpus.PathOf("micro_speech", "rand_seed1", "output.bin"));
        output[0] ^= 1;
        File.WriteAllBytes(Path.Combine(one, "output.bin"), output);
        var r = CliRunner.Run("verify", Corpus.PathOf("models", "micro_speech_quantized.tflite"), "--goldens", cases);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("FAIL  tampered", r.Out);
    }

    [SkippableFact]
    public void Run_writes_the_golden_output_and_inspect_draws_the_plan()
    {
        string dir = TempDir();
        string output = Path.Combine(dir, "out.bin");
        var r = CliRunner.Run("run", Corpus.PathOf("models", "micro_speech_quantized.tflite"), "--input", Corpus.PathOf("micro_speech", "rand_seed3", "input.bin"), "--output", output);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(File.ReadAllBytes(Corpus.PathOf("micro_speech", "rand_seed3", "output.bin")), File.ReadAllBytes(output));

        string png = Path.Combine(dir, "plan.png");
        r = CliRunner.Run("inspect", Corpus.PathOf("models", "micro_speech_quantized.tflite"), "--plot", png);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("DEPTHWISE_CONV_2D", r.Out);
        byte[] header = File.ReadAllBytes(png)[..8];
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, header);
    }

    [SkippableFact]
    public void Run_refuses_an_input_of_the_wrong_size()
    {
        string dir = TempDir();
        string input = Path.Combine(dir, "in.bin");
        File.WriteAllBytes(input, new byte[10]);
        var r = CliRunner.Run("run", Corpus.PathOf("models", "micro_speech_quantized.tflite"), "--input", input, "--output", Path.Combine(dir, "o.bin"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("needs 1960", r.Err);
    }
}

/// <summary>edge-micro detect end to end.</summary>
public class DetectCommandTests
{
    [Fact]
    public void Detect_has_help()
    {
        var r = CliRunner.Run("detect", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--model", r.Out);
        Assert.Contains("--plot", r.Out);
    }

    [SkippableFact]
    public void Detect_reports_yes_as_json_and_draws_the_plot()
    {
        string png = Path.Combine(Path.GetTempPath(), $"detect-{Guid.NewGuid():N}.png");
        var r = CliRunner.Run("detect", Corpus.PathOf("wav", "yes_1000ms.wav"), "--model", Corpus.PathOf("models", "micro_speech_quantized.tflite"), "--json", "--plot", png);
        Assert.Equal(0, r.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(r.Out);
        var detections = json.RootElement.GetProperty("detections");
        Assert.Equal(1, detections.GetArrayLength());
        Assert.Equal("yes", detections[0].GetProperty("label").GetString());
        Assert.True(json.RootElement.GetProperty("frames").GetInt32() > 49);
        Assert.True(new FileInfo(png).Length > 1000);
    }

    [SkippableFact]
    public void Detect_starts_from_the_thresholds_convert_stored_and_a_flag_overrides_them()
    {
        string dir = CliCommandTests.TempDir();
        string noClip = Corpus.PathOf("wav", "no_1000ms.wav"); // micro_speech scores it 248
        var convert = CliRunner.Run("convert", Corpus.PathOf("models", "micro_speech_quantized.tflite"), "-o", dir, "--threshold", "no=250");
        Assert.Equal(0, convert.ExitCode);
        string emm = Path.Combine(dir, "micro_speech_quantized.emm");

        var stored = CliRunner.Run("detect", noClip, "--model", emm);
        Assert.Equal(0, stored.ExitCode);
        Assert.Contains("thresholds yes 200, no 250", stored.Out);
        Assert.Contains("no keyword detected", stored.Out);

        var overridden = CliRunner.Run("detect", noClip, "--model", emm, "--threshold", "no=240");
        Assert.Contains("thresholds yes 200, no 240", overridden.Out);
        Assert.Contains("1 detection(s)", overridden.Out);
    }

    [SkippableTheory]
    [InlineData("maybe=100", "'maybe', which is not one of the model's labels (silence, unknown, yes, no)")]
    [InlineData("300", "scores run from 0 to 255")]
    [InlineData("yes=200,no", "label=score pairs (e.g. yes=200,no=180)")]
    public void Detect_refuses_a_threshold_it_cannot_use_and_says_what_to_write(string threshold, string expected)
    {
        var r = CliRunner.Run("detect", Corpus.PathOf("wav", "no_1000ms.wav"), "--model", Corpus.PathOf("models", "micro_speech_quantized.tflite"), "--threshold", threshold);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err);
    }

    [SkippableFact]
    public void Convert_refuses_thresholds_for_labels_that_do_not_match_the_outputs_and_writes_nothing()
    {
        string dir = CliCommandTests.TempDir();
        var r = CliRunner.Run("convert", Corpus.PathOf("models", "micro_speech_quantized.tflite"), "-o", dir, "--threshold", "190", "--labels", "a,b,c");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("3 labels given for a model with 4 outputs", r.Err);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [SkippableFact]
    public void Detect_refuses_a_text_file_named_wav()
    {
        string path = Path.Combine(Path.GetTempPath(), $"notes-{Guid.NewGuid():N}.wav");
        File.WriteAllText(path, "hello");
        var r = CliRunner.Run("detect", path, "--model", Corpus.PathOf("models", "micro_speech_quantized.tflite"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("not a readable WAV file", r.Err);
    }
}

/// <summary>edge-micro dataset and train: bad input is refused with a message a user can act on.</summary>
public class TrainingCommandTests
{
    private static string TempDir() => CliCommandTests.TempDir();

    [Fact]
    public void Train_on_a_folder_that_is_not_a_dataset_says_how_to_make_one()
    {
        string dir = TempDir();
        var r = CliRunner.Run("train", "--data", dir, "-o", Path.Combine(dir, "m.tflite"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("dataset.json is missing", r.Err);
        Assert.Contains("edge-micro dataset", r.Err);
        Assert.False(File.Exists(Path.Combine(dir, "m.tflite")));
    }

    [Fact]
    public void Train_refuses_a_dataset_whose_features_do_not_match_its_description()
    {
        string dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "dataset.json"),
            """{"format":"edge-micro-dataset-1","labels":["silence","unknown","yes","no"],"clipLabels":[0,2],"validation":[false,true]}""");
        File.WriteAllBytes(Path.Combine(dir, "features.bin"), new byte[1960]);
        var r = CliRunner.Run("train", "--data", dir, "-o", Path.Combine(dir, "m.tflite"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("expected 2 clips of 1960", r.Err);
    }

    // A dataset of the corpus's four real clips, all held out: yes, no, silence and noise (labelled silence).
    private static string CorpusClipDataset(double? validationFraction = null)
    {
        string[] clips = ["yes_1000ms", "no_1000ms", "silence_1000ms", "noise_1000ms"];
        var features = new sbyte[clips.Length * SynthesisConstants.FeatureBytes];
        for (int i = 0; i < clips.Length; i++)
        {
            short[] samples = Edge.Micro.Host.Audio.WavReader.Read(Corpus.PathOf("wav", clips[i] + ".wav")).Samples;
            new ClipFeatures().Extract(samples, features.AsSpan(i * SynthesisConstants.FeatureBytes, SynthesisConstants.FeatureBytes), warmUpFrames: 0);
        }

        string dir = TempDir();
        new Dataset(["silence", "unknown", "yes", "no"], features, [2, 3, 0, 0], [true, true, true, true])
            .Save(dir, [], validationFraction is double share ? new System.Text.Json.Nodes.JsonObject { ["validationFraction"] = share } : []);
        return dir;
    }

    [SkippableFact]
    public void Evaluate_prints_the_int8_accuracy_and_confusion_of_a_model_on_a_dataset()
    {
        // micro_speech labels TFLM's four clips as TFLM's example test says (noise as silence).
        var r = CliRunner.Run("evaluate", Corpus.PathOf("models", "micro_speech_quantized.tflite"), "--data", CorpusClipDataset());
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("on 4 clips (held-out voices)", r.Out);
        Assert.Contains("int8 accuracy 100.0", r.Out);
        Assert.Matches(@"silence\s+2\s+0\s+0\s+0", r.Out);
        Assert.Matches(@"yes\s+0\s+0\s+1\s+0", r.Out);
    }

    [SkippableFact]
    public void Evaluate_refuses_a_model_whose_input_is_not_the_datasets_features()
    {
        var r = CliRunner.Run("evaluate", Corpus.PathOf("models", "ds_cnn_s_quantized.tflite"), "--data", CorpusClipDataset());
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("does not fit the dataset", r.Err);
    }

    [Fact]
    public void Train_refuses_an_unknown_architecture()
    {
        var r = CliRunner.Run("train", "--data", TempDir(), "--arch", "resnet", "-o", "m.tflite");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("resnet", r.Err);
    }

    [Theory]
    [InlineData("--words", "", "at least one keyword")]
    [InlineData("--unknown", "left,yes", "both a keyword and an unknown word")]
    [InlineData("--count", "0", "--count must be at least 1")]
    [InlineData("--phrases", "1.5", "--phrases must be a share in [0, 1]")]
    public void Dataset_refuses_bad_settings_before_synthesizing(string option, string value, string message)
    {
        var r = CliRunner.Run("dataset", option, value, "-o", TempDir());
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err);
    }

    [Fact]
    public void Dataset_refuses_hard_negatives_that_are_not_unknown_words()
    {
        var r = CliRunner.Run("dataset", "--hard-negatives", "0.5", "--hard-negative-words", "yeah,ridiculous", "-o", TempDir());
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("'ridiculous' are not unknown words", r.Err);
    }

    [SkippableTheory]
    [InlineData("--streams", "podcast", "unknown stream 'podcast'")]
    [InlineData("--snr", "loud", "--snr takes whole decibels")]
    [InlineData("--noise", "/no/such/noise.wav", "noise file not found")]
    public void False_alarms_refuses_bad_settings(string option, string value, string message)
    {
        string noise = Corpus.PathOf("wav", "noise_1000ms.wav");
        string[] args = option == "--noise"
            ? ["false-alarms", Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"), "--noise", value]
            : ["false-alarms", Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"), "--noise", noise, option, value];
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err);
    }

    [SkippableFact]
    public void False_alarms_counts_each_models_detections_per_snr_on_the_same_stream()
    {
        Skip.IfNot(Edge.Micro.Training.Synthesis.Espeak.IsAvailable() || Corpus.InCi, "espeak-ng is not installed");
        string ours = Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm");
        var r = CliRunner.Run("false-alarms", ours, Corpus.PathOf("models", "micro_speech_quantized.tflite"),
            "--noise", Corpus.PathOf("wav", "noise_1000ms.wav"), "--streams", "near-miss", "--snr", "10,20");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("near-miss: sentences full of near-misses, 17 sentences x 3 by training voices, 134 s, in noise_1000ms.wav", r.Out);
        Assert.Matches(@"yes_no\.emm\s+\d+\s+\d+\s+\d+", r.Out);
        Assert.Matches(@"micro_speech_quantized\.tflite\s+\d+\s+\d+\s+\d+", r.Out);
        Assert.Contains("yes_no.emm: thresholds yes 200, no 180", r.Out); // the ones stored in the model
        Assert.Contains("micro_speech_quantized.tflite: thresholds yes 200, no 200", r.Out);

        var unknownVoice = CliRunner.Run("false-alarms", ours, "--noise", Corpus.PathOf("wav", "noise_1000ms.wav"), "--streams", "ordinary", "--voices", "xx-nonexistent");
        Assert.Equal(2, unknownVoice.ExitCode);
        Assert.Contains("xx-nonexistent", unknownVoice.Err);
    }

    [SkippableFact]
    public void Mine_writes_a_copy_of_the_dataset_with_the_mined_windows_as_unknown_training_clips()
    {
        Skip.IfNot(Edge.Micro.Training.Synthesis.Espeak.IsAvailable() || Corpus.InCi, "espeak-ng is not installed");
        string source = CorpusClipDataset();
        string destination = TempDir();
        var r = CliRunner.Run("mine", Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"), "--data", source, "-o", destination, "--streams", "3", "--min-score", "-20");
        Assert.True(r.ExitCode == 0, r.Err);
        var counts = System.Text.RegularExpressions.Regex.Match(r.Out, @"(\d+) windows: (\d+) taken for a keyword");
        Assert.True(counts.Success, r.Out);
        int mined = int.Parse(counts.Groups[2].Value);
        Assert.InRange(mined, 1, int.Parse(counts.Groups[1].Value) - 1);

        Dataset extended = Dataset.Load(destination);
        Assert.Equal(4 + mined, extended.Count);
        Assert.All(Enumerable.Range(4, mined), i => Assert.Equal((1, false), (extended.ClipLabels[i], extended.Validation[i])));
        Assert.Equal(4, Dataset.Load(source).Count);

        var again = CliRunner.Run("mine", Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"), "--data", source, "-o", source);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("--out must be a new folder", again.Err);
    }

    [SkippableFact]
    public void Mine_real_adds_windows_of_the_training_speakers_continuous_speech_only()
    {
        string realSpeech = SharedData.RealSpeech();
        string source = CorpusClipDataset(validationFraction: 0.5);
        string destination = TempDir();
        var r = CliRunner.Run("mine", Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"), "--data", source, "-o", destination,
            "--real", realSpeech, "--streams", "8", "--min-score", "-60");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("of keyword-free real speech", r.Out);
        var counts = System.Text.RegularExpressions.Regex.Match(r.Out, @"(\d+) windows: (\d+) taken for a keyword");
        Assert.True(counts.Success, r.Out);
        int mined = int.Parse(counts.Groups[2].Value);
        Assert.InRange(mined, 1, int.Parse(counts.Groups[1].Value) - 1);

        // Every mined clip is a dev speaker that the dataset (validation share 0.5) trains on.
        var split = File.ReadAllLines(Path.Combine(realSpeech, "split.tsv")).Skip(1).Select(l => l.Split('\t')).Where(f => f.Length >= 4)
            .GroupBy(f => f[2]).ToDictionary(g => g.Key, g => g.First()[3]);
        var share = new DatasetOptions { ValidationFraction = 0.5 };
        string[] speakers = File.ReadAllLines(Path.Combine(destination, Dataset.ManifestFile)).Skip(1) // the header; the source manifest has no rows
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, ",real:([^,]+),").Groups[1].Value).ToArray();
        Assert.Equal(mined, speakers.Length);
        Assert.All(speakers, s => Assert.Equal(("dev", false), (split[s], DatasetBuilder.IsValidationSpeaker(s, share))));
        Assert.Contains("\"minedReal\"", File.ReadAllText(Path.Combine(destination, Dataset.DescriptionFile)));

        var both = CliRunner.Run("mine", Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"), "--data", source, "-o", TempDir(),
            "--real", realSpeech, "--sentences", Path.Combine(realSpeech, "split.tsv"));
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("give one", both.Err);
        var missing = CliRunner.Run("mine", Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"), "--data", source, "-o", TempDir(), "--real", TempDir());
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--real:", missing.Err);
    }

    [Fact]
    public void Mine_refuses_sentences_that_say_a_keyword()
    {
        string sentences = Path.Combine(TempDir(), "sentences.txt");
        File.WriteAllLines(sentences, ["# mining sentences", "Yeah, fine.", "Yes, please."]);
        var r = CliRunner.Run("mine", Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"), "--data", CorpusClipDataset(), "-o", TempDir(), "--sentences", sentences);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("\"Yes, please.\" says 'yes'", r.Err);
    }

    [SkippableFact]
    public void Recall_counts_the_keywords_each_model_finds_per_snr()
    {
        Skip.IfNot(Edge.Micro.Training.Synthesis.Espeak.IsAvailable() || Corpus.InCi, "espeak-ng is not installed");
        var r = CliRunner.Run("recall", Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"), "--noise", Corpus.PathOf("wav", "noise_1000ms.wav"),
            "--voices", "en-us+m1", "--snr", "20");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("answers: 12 keywords (6 yes, 6 no) by 1 voices", r.Out);
        Assert.Matches(@"yes_no\.emm\s+\d+ \(\d+\)\s+\d+ \(\d+\)", r.Out);

        // --threshold overrides the stored thresholds for every model, as in detect and real-speech.
        var lower = CliRunner.Run("recall", Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"), "--noise", Corpus.PathOf("wav", "noise_1000ms.wav"),
            "--voices", "en-us+m1", "--snr", "20", "--threshold", "no=150");
        Assert.True(lower.ExitCode == 0, lower.Err);
        Assert.Contains("yes_no.emm: thresholds yes 200, no 150", lower.Out);
        var unknownLabel = CliRunner.Run("recall", Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"), "--noise", Corpus.PathOf("wav", "noise_1000ms.wav"),
            "--threshold", "maybe=150");
        Assert.Equal(2, unknownLabel.ExitCode);
        Assert.Contains("'maybe', which is not one of the model's labels", unknownLabel.Err);
        Assert.DoesNotContain("rendering", unknownLabel.Err); // refused before any speech is rendered

        var bad = CliRunner.Run("recall", Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"), "--noise", Corpus.PathOf("wav", "noise_1000ms.wav"), "--snr", "loud");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--snr takes whole decibels", bad.Err);
    }
}
