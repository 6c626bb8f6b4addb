using System.CommandLine;
using System.Text.Json.Nodes;
using Edge.Micro.Host;
using Edge.Micro.Host.Native;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Cli.Commands;

/// <summary>
/// edge-micro mine: hard-negative mining. Runs a keyword model over keyword-free running speech (espeak-ng,
/// training voices, synthetic noise) and writes a copy of a dataset with every window the model took for a
/// keyword added as an "unknown" training clip.
/// </summary>
public static class MineCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Argument<FileInfo>("model") { Description = "Keyword model (.tflite or .emm) trained on the dataset, whose false alarms are mined" };
        var data = new Option<DirectoryInfo>("--data") { Description = "Dataset folder made by edge-micro dataset (left unchanged)", Required = true };
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "Folder for the dataset plus the mined clips", Required = true };
        var sentences = new Option<FileInfo?>("--sentences") { Description = $"Text file of keyword-free sentences, one per line (default: {HardNegativeMiner.DefaultSentences.Length} built-in sentences rich in near-misses)" };
        var streams = new Option<int>("--streams") { Description = $"Streams to render, {HardNegativeMiner.SentencesPerStream} sentences each (default 200)", DefaultValueFactory = _ => 200 };
        var minScore = new Option<int>("--min-score") { Description = "Keep a window when a keyword's int8 score is above this (default 0: more than half)", DefaultValueFactory = _ => 0 };
        var maxClips = new Option<int>("--max-clips") { Description = "Most windows added (default 4000)", DefaultValueFactory = _ => 4000 };
        var seed = new Option<int>("--seed") { Description = "Seed; the same seed, model and sentences give the same clips (default 1)", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: every core)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var real = new Option<DirectoryInfo?>("--real") { Description = "Mine real continuous speech instead of the sentences: a real-speech set (split.tsv, e.g. ../shared/realspeech); only the dataset's training speakers, in the set's noise recordings at 0-30 dB SNR" };
        var realSplit = new Option<string>("--real-split") { Description = "The split of the --real set to mine (default dev; never mine the speakers you measure on)", DefaultValueFactory = _ => "dev" };
        var kernels = Cli.KernelsOption();
        var command = new Command("mine", "Hard-negative mining: find the windows of keyword-free running speech that a model takes for a keyword and add them to a copy of its dataset as unknown training clips")
        {
            model, data, outDir, sentences, real, realSplit, streams, minScore, maxClips, seed, threads, kernels,
        };
        command.SetAction(parse =>
        {
            string source = parse.GetValue(data)!.FullName;
            string destination = parse.GetValue(outDir)!.FullName;
            if (Path.GetFullPath(source) == Path.GetFullPath(destination))
            {
                throw new CliException("--out must be a new folder: the source dataset stays as it is");
            }

            Dataset dataset = Dataset.Load(source);
            LoadedModel loaded = LoadedModel.Load(parse.GetValue(model)!.FullName);
            if (parse.GetValue(real) is not null && parse.GetValue(sentences) is not null)
            {
                throw new CliException("--sentences and --real are two sources of speech: give one");
            }

            RealMiningSource? realSource = parse.GetValue(real) is DirectoryInfo folder
                ? LoadRealSource(folder.FullName, parse.GetValue(realSplit)!, source)
                : null;
            var options = new MiningOptions
            {
                Real = realSource,
                Sentences = parse.GetValue(sentences) is FileInfo file ? ReadSentences(file) : HardNegativeMiner.DefaultSentences,
                Streams = parse.GetValue(streams),
                MinScore = parse.GetValue(minScore),
                MaxClips = parse.GetValue(maxClips),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
            };
            var kernelSet = KernelChoice.Resolve(parse.GetValue(kernels));
            MiningResult mined;
            try
            {
                mined = HardNegativeMiner.Mine(loaded.Model, kernelSet, dataset.Labels, options, new ProgressBar(Console.Error, "streams").Report);
            }
            catch (ArgumentException e)
            {
                throw new CliException($"cannot mine {parse.GetValue(model)!.Name} on {source}: {e.Message}");
            }

            var settings = new JsonObject
            {
                ["model"] = parse.GetValue(model)!.Name,
                ["sentences"] = realSource is null ? options.Sentences.Length : 0,
                ["realSpeechFiles"] = realSource?.Speech.Count ?? 0,
                ["streams"] = options.Streams,
                ["minScore"] = options.MinScore,
                ["maxClips"] = options.MaxClips,
                ["seed"] = options.Seed,
                ["windowsLookedAt"] = mined.WindowsLookedAt,
                ["clipsAdded"] = mined.Infos.Count,
            };
            dataset.SaveExtended(source, destination, mined.Features, mined.Infos, realSource is null ? "mined" : "minedReal", settings);
            var perKeyword = mined.Windows.GroupBy(w => w.Keyword)
                .Select(g => $"{g.Count()} as {g.Key}");
            output.WriteLine($"mined {mined.StreamSeconds:F0} s of keyword-free {(realSource is null ? "synthetic" : "real")} speech, {mined.WindowsLookedAt} windows: {mined.Infos.Count} taken for a keyword ({string.Join(", ", perKeyword)})");
            output.WriteLine($"dataset written to {destination}: {dataset.Count + mined.Infos.Count} clips ({mined.Infos.Count} mined, unknown, training split)");
            return ExitCodes.Ok;
        });
        return command;
    }

    // The continuous speech of the set's split whose speakers the dataset trains on (its validation speakers, by
    // the dataset's own hash and share, are left out: mining them would leak them into training), and the noise.
    private static RealMiningSource LoadRealSource(string folder, string split, string dataset)
    {
        RealRecordings recordings;
        try
        {
            recordings = RealRecordings.Load(folder, split);
        }
        catch (InvalidDataException e)
        {
            throw new CliException($"--real: {e.Message}");
        }

        var share = new DatasetOptions { ValidationFraction = (double?)Dataset.Settings(dataset)["validationFraction"] ?? new DatasetOptions().ValidationFraction };
        RealSpeech[] speech = recordings.Speech.Where(s => !DatasetBuilder.IsValidationSpeaker(s.Speaker, share)).ToArray();
        if (speech.Length == 0 || recordings.Noise.Count == 0)
        {
            throw new CliException($"--real: split '{split}' of {folder} has {speech.Length} continuous-speech recordings of training speakers and {recordings.Noise.Count} noise recordings; mining needs at least one of each");
        }

        return new RealMiningSource(speech, recordings.Noise);
    }

    private static string[] ReadSentences(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CliException($"sentence file not found: {file.FullName}");
        }

        string[] lines = File.ReadAllLines(file.FullName).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        return lines.Length > 0 ? lines : throw new CliException($"{file.FullName} holds no sentence (one per line; # starts a comment)");
    }
}
