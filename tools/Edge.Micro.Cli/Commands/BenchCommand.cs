using System.CommandLine;
using System.Diagnostics;
using Edge.Micro.Host;
using Edge.Micro.Host.Audio;
using Edge.Micro.Host.Native;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Cli.Commands;

/// <summary>
/// edge-micro bench: wall time per inference and per op on this machine. Wall time is noisy; the stable
/// figure for the native kernels is the instruction count of scripts/bench.sh (callgrind).
/// </summary>
public static class BenchCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Argument<FileInfo>("model") { Description = "Model file (.tflite or .emm)" };
        var count = new Option<int>("-n") { Description = "Inferences to time (default 100)", DefaultValueFactory = _ => 100 };
        var kernels = Cli.KernelsOption();
        var frontEnd = new Option<bool>("--frontend") { Description = "Time the model's front end per 20 ms frame instead of inferences" };
        var command = new Command("bench", "Time inferences (total and per op, min/avg/max) with zero input, or the front end per frame") { model, count, kernels, frontEnd };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(count);
            if (n < 1)
            {
                throw new CliException("-n must be at least 1");
            }

            LoadedModel loaded = LoadedModel.Load(parse.GetValue(model)!.FullName);
            if (parse.GetValue(frontEnd))
            {
                BenchFrontEnd(output, loaded, n, KernelChoice.Resolve(parse.GetValue(kernels)).Name == "native");
                return ExitCodes.Ok;
            }

            var interpreter = new Interpreter(loaded.Model, KernelChoice.Resolve(parse.GetValue(kernels)));
            var profile = new OpProfile(loaded.Model.OpCount);
            interpreter.Invoke(); // warm-up (JIT, caches)
            interpreter.Profiler = profile;
            double min = double.MaxValue, max = 0;
            for (int i = 0; i < n; i++)
            {
                long start = Stopwatch.GetTimestamp();
                interpreter.Invoke();
                double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                min = Math.Min(min, us);
                max = Math.Max(max, us);
                profile.TotalMicroseconds += us;
            }

            output.WriteLine($"{loaded.Model.Name}: {n} inferences, {interpreter.Kernels.Name} kernels");
            output.WriteLine($"  per inference: min {min:F1} us, avg {profile.TotalMicroseconds / n:F1} us, max {max:F1} us");
            output.WriteLine($"{"#",4}  {"op",-18} {"min us",10} {"avg us",10} {"max us",10}");
            for (int op = 0; op < loaded.Model.OpCount; op++)
            {
                output.WriteLine($"{op,4}  {OpCode.Name(loaded.Model.Op(op)),-18} {profile.Min[op],10:F1} {profile.Sum[op] / n,10:F1} {profile.Max[op],10:F1}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    // Frames of pseudo-random speech-level audio through the model's front end.
    private static void BenchFrontEnd(TextWriter output, LoadedModel loaded, int frames, bool native)
    {
        bool mfcc = Detector.FrontEndOf(loaded.Model) == Edge.Micro.Runtime.Format.EmmFormat.FrontEndMfcc;
        Edge.Micro.Audio.FrontEnd.IFeatureExtractor fe = mfcc
            ? new Edge.Micro.Audio.FrontEnd.MfccFrontEnd(MfccTableBuilder.Build())
            : native ? new NativeMicroFrontend() : new Edge.Micro.Audio.FrontEnd.MicroFrontend(MicroFrontendTableBuilder.Build(new MicroFrontendConfig()));
        var random = new Random(1);
        var samples = new short[fe.FrameSamples + 320 * frames];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)random.Next(-3000, 3000);
        }

        var features = new byte[fe.FrameBytes];
        fe.Extract(samples, 0, features, 0); // warm-up
        long start = Stopwatch.GetTimestamp();
        for (int f = 0; f < frames; f++)
        {
            fe.Extract(samples, 320 * f, features, 0);
        }

        double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds / frames;
        output.WriteLine($"{(mfcc ? "MFCC" : "micro")} front end ({fe.Name}): {us:F1} us per 20 ms frame over {frames} frames");
    }

    private sealed class OpProfile(int ops) : IOpProfiler
    {
        public readonly double[] Min = Enumerable.Repeat(double.MaxValue, ops).ToArray();
        public readonly double[] Max = new double[ops];
        public readonly double[] Sum = new double[ops];
        public double TotalMicroseconds;

        public void OpFinished(int opIndex, int opCode, long elapsedTicks)
        {
            double us = elapsedTicks / 10.0;
            Min[opIndex] = Math.Min(Min[opIndex], us);
            Max[opIndex] = Math.Max(Max[opIndex], us);
            Sum[opIndex] += us;
        }
    }
}
