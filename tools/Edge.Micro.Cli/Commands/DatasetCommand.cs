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
        var import = new Option<DirectoryInfo?>("--import") { Description = "Add real recordings: a folder laid out as Speech Commands (<word>/<speaker>_nohash_<n>.wav, _background_noise_/) or a split set with split.tsv (../shared/realspeech)" };
        var importSplit = new Option<string>("--import-split") { Description = "Split of a set with split.tsv to import (default dev; keep test for final numbers)", DefaultValueFactory = _ => "dev" };
        var importCopies = new Option<int>("--import-copies") { Description = "Augmented copies of each imported word recording (default 10)", DefaultValueFactory = _ => 10 };
        var recordedNoise = new Option<double>("--recorded-noise") { Description = "Share of synthetic clips with an imported noise recording as background (default 0)", DefaultValueFactory = _ => 0 };
        var engines = new Option<string>("--engines") { Description = "Synthesizers: espeak-ng, and flite and festival voices (built from real speakers' recordings) for a share of single-word clips", DefaultValueFactory = _ => "espeak-ng" };
        var engineShare = new Option<double>("--engine-share") { Description = "Share of single-word clips spoken by flite or festival voices when --engines lists them (default 0.4)", DefaultValueFactory = _ => 0.4 };
        var edge = new Option<double>("--edge") { Description = "Share of single-word clips whose word starts 10-25% of its length before the second, as in the windows a stream passes through after the word (default 0)", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: every core)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("dataset", "Synthesize a keyword dataset with espeak-ng: many voices, accents, speeds and pitches, augmented with rooms, microphones and noise, as the model's int8 features")
        {
            words, unknown, hardNegatives, hardNegativeWords, phrases, context, count, outDir, seed, validation, wavs, import, importSplit, importCopies, recordedNoise, engines, engineShare, edge, threads,
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
                Import = parse.GetValue(import) is DirectoryInfo importFolder ? RealRecordings.Load(importFolder.FullName, parse.GetValue(importSplit)!) : null,
                ImportCopies = parse.GetValue(importCopies),
                RecordedNoiseShare = parse.GetValue(recordedNoise),
                Engines = Cli.CommaList(parse.GetValue(engines)!),
                EngineShare = parse.GetValue(engineShare),
                EdgeShare = parse.GetValue(edge),
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

            // Where the speech came from: clips per engine and voice (the voice's base for espeak-ng).
            output.WriteLine("clips by source:");
            foreach (var group in infos.GroupBy(SourceOf).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                output.WriteLine($"  {group.Key,-28} {group.Count(),6}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    // "espeak-ng en-us", "real speech", "noise only" ...: the engine and voice family of a clip.
    private static string SourceOf(ClipInfo c) => c.Voice switch
    {
        "" => "noise only",
        var v when v.StartsWith("real:", StringComparison.Ordinal) => c.Effects switch { "speech" => "real continuous speech", "roomtone" => "real room tone", _ => "real words" },
        var v when v.Contains(':') => v.Replace(':', ' '),
        var v => "espeak-ng " + v.Split('+')[0],
    };
}
