using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;

namespace Edge.Micro.Host.Verification;

/// <summary>The outcome of one golden case.</summary>
public sealed record CaseResult(string Name, bool Passed, string Detail, int IntermediatesChecked);

/// <summary>
/// Runs golden cases laid out as in the reference corpus: a case folder holds input.bin (raw input tensor
/// bytes), output.bin (raw expected output bytes) and optionally intermediates/index.txt with one
/// opNNN_tTTT.bin per op output. A model with several inputs or outputs has input0.bin, input1.bin, ... and
/// output0.bin, ... in the model's order (the corpus MANIFEST, section 14.1). Op NNN of the .tflite is op NNN
/// of the .emm (lowering is one to one).
/// </summary>
public static class GoldenVerifier
{
    /// <summary>The case folders under <paramref name="directory"/> (or the directory itself if it is a case).</summary>
    public static IReadOnlyList<string> FindCases(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"goldens folder not found: {directory}");
        }

        if (IsCase(directory))
        {
            return [directory];
        }

        var cases = Directory.GetDirectories(directory).Where(IsCase).OrderBy(d => d, StringComparer.Ordinal).ToList();
        if (cases.Count == 0)
        {
            throw new DirectoryNotFoundException($"{directory} holds no case folders with input.bin (or input0.bin) and output.bin (or output0.bin)");
        }

        return cases;
    }

    private static bool IsCase(string d) =>
        (File.Exists(Path.Combine(d, "input.bin")) || File.Exists(Path.Combine(d, "input0.bin"))) &&
        (File.Exists(Path.Combine(d, "output.bin")) || File.Exists(Path.Combine(d, "output0.bin")));

    /// <summary>The file of tensor <paramref name="index"/> of <paramref name="count"/> ("input.bin" alone, else "input0.bin"...).</summary>
    public static string TensorFile(string kind, int index, int count) => count == 1 ? $"{kind}.bin" : $"{kind}{index}.bin";

    /// <summary>Runs one case and compares the output and every intermediate the case provides, bit for bit.</summary>
    public static CaseResult RunCase(Model model, string caseDirectory) => RunCase(model, caseDirectory, ManagedKernels.Instance);

    /// <summary>Runs one case with the given kernels.</summary>
    public static CaseResult RunCase(Model model, string caseDirectory, IKernelSet kernels)
    {
        string name = Path.GetFileName(caseDirectory);
        var interpreter = new Interpreter(model, kernels);
        for (int i = 0; i < model.InputCount; i++)
        {
            string file = TensorFile("input", i, model.InputCount);
            string path = Path.Combine(caseDirectory, file);
            if (!File.Exists(path))
            {
                return new CaseResult(name, false, $"{file} is missing: the model has {model.InputCount} input(s)", 0);
            }

            byte[] input = File.ReadAllBytes(path);
            int inputBytes = model.ByteSize(model.InputTensor(i));
            if (input.Length != inputBytes)
            {
                return new CaseResult(name, false, $"{file} has {input.Length} bytes, the model's input {i} needs {inputBytes}", 0);
            }

            interpreter.SetInput(i, input, 0);
        }

        var recorder = new IntermediateRecorder(model, interpreter, ReadIndex(caseDirectory));
        interpreter.Profiler = recorder;
        interpreter.Invoke();
        if (recorder.FirstMismatch is string mismatch)
        {
            return new CaseResult(name, false, mismatch, recorder.Checked);
        }

        int outputBytes = 0;
        for (int o = 0; o < model.OutputCount; o++)
        {
            string file = TensorFile("output", o, model.OutputCount);
            string path = Path.Combine(caseDirectory, file);
            if (!File.Exists(path))
            {
                return new CaseResult(name, false, $"{file} is missing: the model has {model.OutputCount} output(s)", recorder.Checked);
            }

            byte[] expected = File.ReadAllBytes(path);
            var actual = new byte[model.ByteSize(model.OutputTensor(o))];
            interpreter.GetOutput(o, actual, 0);
            outputBytes += actual.Length;
            if (!actual.AsSpan().SequenceEqual(expected))
            {
                int at = actual.Length != expected.Length ? -1 : actual.AsSpan().CommonPrefixLength(expected);
                return new CaseResult(name, false, at < 0
                    ? $"output {o} has {actual.Length} bytes, {file} {expected.Length}"
                    : $"output {o} differs from {file} at byte {at}: got {actual[at]}, expected {expected[at]}", recorder.Checked);
            }
        }

        string outputs = model.OutputCount == 1 ? "output matches" : $"{model.OutputCount} outputs match";
        return new CaseResult(name, true, $"{outputs} ({outputBytes} bytes, {recorder.Checked} intermediates)", recorder.Checked);
    }

    /// <summary>op index -> golden file of that op's output, from intermediates/index.txt if present.</summary>
    private static Dictionary<int, string> ReadIndex(string caseDirectory)
    {
        var map = new Dictionary<int, string>();
        string dir = Path.Combine(caseDirectory, "intermediates");
        string index = Path.Combine(dir, "index.txt");
        if (!File.Exists(index))
        {
            return map;
        }

        foreach (string line in File.ReadLines(index))
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 4 && int.TryParse(fields[0], out int op))
            {
                map[op] = Path.Combine(dir, fields[3]);
            }
        }

        return map;
    }

    /// <summary>Compares each op's output with its golden right after the op ran (the arena is reused later).</summary>
    private sealed class IntermediateRecorder(Model model, Interpreter interpreter, Dictionary<int, string> goldens) : IOpProfiler
    {
        public int Checked { get; private set; }

        public string? FirstMismatch { get; private set; }

        public void OpFinished(int opIndex, int opCode, long elapsedTicks)
        {
            if (FirstMismatch != null || !goldens.TryGetValue(opIndex, out string? file))
            {
                return;
            }

            int t = model.OpOutput(opIndex, 0);
            byte[] expected = File.ReadAllBytes(file);
            var actual = interpreter.Arena.AsSpan(model.DataOffset(t), model.ByteSize(t));
            Checked++;
            if (!actual.SequenceEqual(expected))
            {
                int at = actual.Length != expected.Length ? -1 : actual.CommonPrefixLength(expected);
                FirstMismatch = at < 0
                    ? $"op {opIndex} output has {actual.Length} bytes, {Path.GetFileName(file)} {expected.Length}"
                    : $"op {opIndex} ({Edge.Micro.Runtime.Format.OpCode.Name(opCode)}) output differs from {Path.GetFileName(file)} at byte {at}: got {(sbyte)actual[at]}, expected {(sbyte)expected[at]}";
            }
        }
    }
}
