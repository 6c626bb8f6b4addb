using Edge.Micro.Converter.Lowering.Ops;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// Derives the sigmoid table of TFLM's int16 LOGISTIC and TANH from their measured outputs (corpus section 9 and
/// 10: every int16 input at seven input scales per op, and the eight TANH calls of TFLM's LSTM), with nothing
/// from TFLM's source. What the outputs show about the kernels (checked by reproducing every output): the input
/// is rescaled to units of 1/12288; LOGISTIC reads segment |v| / 512 with fraction |v| mod 512, TANH segment
/// |v| / 256 with fraction |v| mod 256, both of one 256-node table (tanh(x) = 2 sigmoid(2x) - 1); segments from
/// 255 on saturate. Between nodes a and b the interpolated value is r = a x S + f x (b - a) (S = 512 or 256), and
/// the output rounds r: LOGISTIC (r + 512) / 1024 for v &gt;= 0, (2^25 - r + 511) / 1024 below; TANH
/// (r - 2^23 + 128) / 256 and (2^23 - r + 127) / 256 (floor division). So each observed output confines r to an
/// interval, a x (S - f) + b x f within [lo, hi]: for every candidate a the bounds on b intersect to an interval.
/// A node is the value that both neighbouring segments allow; the corpus leaves exactly one for each.
/// </summary>
public static class SigmoidTableDerivation
{
    private const int Segments = ActivationS16.TableEntries - 1;

    /// <summary>The seven op-level scales of each function and the LSTM calls, with their kernel parameters.</summary>
    public static IEnumerable<(string File, bool Logistic, int Multiplier, int LeftShift)> Observations(string corpus)
    {
        foreach (string op in new[] { "logistic", "tanh" })
        {
            foreach (string model in CorpusModels.ActivationCases(op).Where(c => c.Contains("_int16_")))
            {
                float scale = InputScale(Path.Combine(corpus, model, "info.txt"));
                var (multiplier, leftShift) = ActivationLowering.InputRescale(scale, op == "logistic")!.Value;
                yield return (Path.Combine(corpus, model, "output.bin"), op == "logistic", multiplier, leftShift);
            }
        }

        string calls = Path.Combine(corpus, "int16_activations", "lstm_kernel_calls");
        foreach (string line in File.ReadAllLines(Path.Combine(calls, "index.txt")).Where(l => !l.StartsWith('#')))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            yield return (Path.Combine(calls, f[0]), f[1] == "Logistic", int.Parse(f[2]), int.Parse(f[3]));
        }
    }

    /// <summary>The input scale an int16_activations info.txt gives its input tensor.</summary>
    public static float InputScale(string infoFile)
    {
        string line = File.ReadAllLines(infoFile).First(l => l.StartsWith("input 0 "));
        string scale = line[(line.IndexOf("scale=", StringComparison.Ordinal) + 6)..];
        return float.Parse(scale[..scale.IndexOf(',')], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every int16 value, ascending (each file's input).</summary>
    public static short[] AllInputs() => Enumerable.Range(short.MinValue, 1 << 16).Select(i => (short)i).ToArray();

    /// <summary>Reads an int16 output file.</summary>
    public static short[] ReadInt16(string file)
    {
        byte[] b = File.ReadAllBytes(file);
        var v = new short[b.Length / 2];
        Buffer.BlockCopy(b, 0, v, 0, b.Length);
        return v;
    }

    /// <summary>The nodes the corpus allows: one set of candidates per node (each should hold exactly one value).</summary>
    public static List<int>[] Derive(string corpus)
    {
        // Per segment: (weight of a, weight of b, lo, hi) with lo <= a * wa + b * wb <= hi.
        var constraints = new List<(int Wa, int Wb, long Lo, long Hi)>[Segments];
        for (int s = 0; s < Segments; s++)
        {
            constraints[s] = [];
        }

        short[] inputs = AllInputs();
        foreach (var (file, logistic, multiplier, leftShift) in Observations(corpus))
        {
            short[] outputs = ReadInt16(file);
            int bits = logistic ? 9 : 8;
            for (int i = 0; i < inputs.Length; i++)
            {
                int v = ActivationS16.Rescale(inputs[i], multiplier, leftShift);
                int magnitude = Math.Abs(v);
                int segment = magnitude >> bits;
                if (segment >= Segments)
                {
                    continue;
                }

                int f = magnitude & ((1 << bits) - 1);
                long y = outputs[i];
                (long lo, long hi) = (logistic, v >= 0) switch
                {
                    (true, true) => (y * 1024 - 512, y * 1024 + 511),
                    (true, false) => ((1L << 25) + 511 - y * 1024 - 1023, (1L << 25) + 511 - y * 1024),
                    (false, true) => (y * 256 + (1L << 23) - 128, y * 256 + (1L << 23) + 127),
                    (false, false) => ((1L << 23) + 127 - y * 256 - 255, (1L << 23) + 127 - y * 256),
                };
                constraints[segment].Add(((1 << bits) - f, f, lo, hi));
            }
        }

        var leftOf = new HashSet<int>[Segments];
        var rightOf = new HashSet<int>[Segments];
        for (int s = 0; s < Segments; s++)
        {
            (leftOf[s], rightOf[s]) = Feasible(constraints[s].Distinct().ToList());
        }

        var nodes = new List<int>[Segments + 1];
        for (int k = 0; k <= Segments; k++)
        {
            IEnumerable<int> candidates = k < Segments ? leftOf[k] : rightOf[k - 1];
            if (k > 0 && k < Segments)
            {
                candidates = candidates.Intersect(rightOf[k - 1]);
            }

            nodes[k] = candidates.OrderBy(v => v).ToList();
        }

        return nodes;
    }

    /// <summary>The values of a and of b in the (a, b) pairs that satisfy every constraint of one segment.</summary>
    private static (HashSet<int> A, HashSet<int> B) Feasible(List<(int Wa, int Wb, long Lo, long Hi)> constraints)
    {
        // The narrowest range of a that one constraint allows with b anywhere in 0..65535.
        long aMin = 0, aMax = ushort.MaxValue;
        foreach (var (wa, wb, lo, hi) in constraints)
        {
            aMin = Math.Max(aMin, CeilDiv(lo - (long)wb * ushort.MaxValue, wa));
            aMax = Math.Min(aMax, FloorDiv(hi, wa));
        }

        var a = new HashSet<int>();
        var b = new HashSet<int>();
        for (long ua = aMin; ua <= aMax; ua++)
        {
            long bMin = 0, bMax = ushort.MaxValue;
            foreach (var (wa, wb, lo, hi) in constraints)
            {
                long rest = ua * wa;
                if (wb == 0)
                {
                    if (rest < lo || rest > hi)
                    {
                        bMax = -1;
                        break;
                    }

                    continue;
                }

                bMin = Math.Max(bMin, CeilDiv(lo - rest, wb));
                bMax = Math.Min(bMax, FloorDiv(hi - rest, wb));
            }

            if (bMin <= bMax)
            {
                a.Add((int)ua);
                for (long ub = bMin; ub <= bMax; ub++)
                {
                    b.Add((int)ub);
                }
            }
        }

        return (a, b);
    }

    private static long FloorDiv(long n, long d) => (long)Math.Floor((double)n / d);

    private static long CeilDiv(long n, long d) => (long)Math.Ceiling((double)n / d);
}
