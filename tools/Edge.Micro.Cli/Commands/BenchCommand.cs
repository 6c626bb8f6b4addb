using System.CommandLine;
using System.Diagnostics;
using Edge.Micro.Host;
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
        var command = new Command("bench", "Time inferences (total and per op, min/avg/max) with zero input") { model, count, kernels };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(count);
            if (n < 1)
            {
                throw new CliException("-n must be at least 1");
            }

            LoadedModel loaded = LoadedModel.Load(parse.GetValue(model)!.FullName);
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
