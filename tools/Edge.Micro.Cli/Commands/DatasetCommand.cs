using System.CommandLine;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro dataset: a synthetic keyword dataset from espeak-ng speech.</summary>
public static class DatasetCommand
{
    public static Command Create(TextWriter output)
    {
        var words = new Option<string>("--words") { Description = "Comma-separated keywords, one class each (after silence and unknown)", DefaultValueFactory = _ => "yes,no" };
        var unknown = new Option<string?>("--unknown") { Description = "Comma-separated words of the unknown class (default: 118 words, 14 of them near-misses such as yeah, yet, nope, now)" };
        var hardNegatives = new Option<double>("--hard-negatives") { Description = "Share of unknown clips that speak a near-miss (yeah, yet, nope, now...) (default 0: all unknown words equally often)", DefaultValueFactory = _ => 0 };
        var hardNegativeWords = new Option<string?>("--hard-negative-words") { Description = "Comma-separated unknown words that --hard-negatives draws (default: the 14 near-misses)" };
        var phrases = new Option<double>("--phrases") { Description = "Share of unknown clips that are running speech: 2-4 unknown words in one phrase, a random second of it (default 0)", DefaultValueFactory = _ => 0 };
        var context = new Option<double>("--context") { Description = "Share of keyword clips said in running speech: after the end of a sentence, before the start of one, or both (default 0)", DefaultValueFactory = _ => 0 };
        var count = new Option<int>("--count") { Description = "Clips per keyword; the unknown class gets as many and silence half (default 1000)", DefaultValueFactory = _ => 1000 };
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "Folder for dataset.json, features.bin and manifest.csv", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed; the same seed gives the same dataset (default 1)", DefaultValueFactory = _ => 1 };
        var validation = new Option<double>("--validation") { Description = "Share of clips spoken by held-out voices (default 0.1)", DefaultValueFactory = _ => 0.1 };
        var wavs = new Option<bool>("--wavs") { Description = "Also write every clip as a 16 kHz WAV under wavs/ (to listen to the data)" };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: every core)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("dataset", "Synthesize a keyword dataset with espeak-ng: many voices, accents, speeds and pitches, augmented with rooms, microphones and noise, as the model's int8 features")
        {
            words, unknown, hardNegatives, hardNegativeWords, phrases, context, count, outDir, seed, validation, wavs, threads,
        };
        command.SetAction(parse =>
        {
            var options = new DatasetOptions
            {
                Words = Cli.CommaList(parse.GetValue(words)!),
                Unknown = parse.GetValue(unknown) is string u ? Cli.CommaList(u) : WordLists.DefaultUnknown,
                HardNegativeShare = parse.GetValue(hardNegatives),
                HardNegatives = parse.GetValue(hardNegativeWords) is string h ? Cli.CommaList(h) : WordLists.NearMisses,
                PhraseShare = parse.GetValue(phrases),
                ContextShare = parse.GetValue(context),
                Count = parse.GetValue(count),
                Seed = parse.GetValue(seed),
                ValidationFraction = parse.GetValue(validation),
                Threads = parse.GetValue(threads),
            };
            string folder = parse.GetValue(outDir)!.FullName;
            var progress = new ProgressBar(Console.Error, "clips");
            (Dataset data, IReadOnlyList<ClipInfo> infos) = DatasetBuilder.Build(options, progress.Report,
                parse.GetValue(wavs) ? Path.Combine(folder, "wavs") : null);
            data.Save(folder, infos, DatasetBuilder.Describe(options));
            output.WriteLine($"dataset written to {folder}: {data.Count} clips, {data.Split(true).Length} from held-out voices");
            for (int l = 0; l < data.Labels.Length; l++)
            {
                output.WriteLine($"  {data.Labels[l],-10} {data.ClipLabels.Count(c => c == l),6} clips");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
