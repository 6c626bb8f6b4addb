using System.CommandLine;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro synth: speaks phrases with espeak-ng into a 16 kHz WAV, with pauses and optional noise.</summary>
public static class SynthCommand
{
    public static Command Create(TextWriter output)
    {
        var phrases = new Argument<string[]>("phrases") { Description = "Phrases to speak, one after the other", Arity = ArgumentArity.OneOrMore };
        var outFile = new Option<FileInfo>("--output", "-o") { Description = "WAV file to write (16 kHz mono 16-bit)", Required = true };
        var voice = new Option<string>("--voice") { Description = "espeak-ng voice, e.g. en-us+f3 (default en-us)", DefaultValueFactory = _ => "en-us" };
        var speed = new Option<int>("--speed") { Description = "Words per minute (default 150)", DefaultValueFactory = _ => 150 };
        var pause = new Option<int>("--pause-ms") { Description = "Silence before, between and after phrases (default 1000)", DefaultValueFactory = _ => 1000 };
        var noise = new Option<string?>("--noise") { Description = "Background noise: white, pink, brown, hum or babble (default none)" };
        noise.AcceptOnlyFromAmong("white", "pink", "brown", "hum", "babble");
        var snr = new Option<int>("--snr") { Description = "Speech to noise ratio in dB (default 20)", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Seed of the noise (default 1)", DefaultValueFactory = _ => 1 };
        var command = new Command("synth", "Speak phrases with espeak-ng into a 16 kHz WAV (test recordings and the shipped samples)")
        {
            phrases, outFile, voice, speed, pause, noise, snr, seed,
        };
        command.SetAction(parse =>
        {
            int gap = Math.Max(0, parse.GetValue(pause)) * SynthesisConstants.SampleRate / 1000;
            var speech = new List<float>(new float[gap]);
            foreach (string phrase in parse.GetValue(phrases)!)
            {
                speech.AddRange(Signal.TrimSilence(Espeak.Render(phrase, parse.GetValue(voice)!, parse.GetValue(speed), 50)));
                speech.AddRange(new float[gap]);
            }

            float[] mix = speech.ToArray();
            Signal.NormalizeRms(mix, 0.1f);
            if (parse.GetValue(noise) is string kind)
            {
                var rng = new Random(parse.GetValue(seed));
                IReadOnlyList<float[]> babble = kind == "babble"
                    ? WordLists.Sentences.Take(6).Select((s, i) => Espeak.Render(s, VoiceCatalog.EnglishBases[i % VoiceCatalog.EnglishBases.Length], 170, 50)).ToArray()
                    : [];
                float[] background = Noise.Generate(Enum.Parse<NoiseKind>(kind, ignoreCase: true), mix.Length, rng, babble);
                float gain = 0.1f * (float)Math.Pow(10, -parse.GetValue(snr) / 20.0);
                for (int i = 0; i < mix.Length; i++)
                {
                    mix[i] += gain * background[i];
                }
            }

            var samples = mix.Select(Signal.ToPcm16).ToArray();
            string path = parse.GetValue(outFile)!.FullName;
            WavWriter.Write(path, samples);
            output.WriteLine($"wrote {path}: {samples.Length * 1000 / SynthesisConstants.SampleRate} ms");
            return ExitCodes.Ok;
        });
        return command;
    }
}
