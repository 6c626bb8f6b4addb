using Edge.Micro.Converter.Lowering;

namespace Edge.Micro.Converter.Planning;

/// <summary>
/// Offline arena planner: gives every arena tensor an offset so that tensors alive at the same time
/// never overlap, and reports the lower bound no plan can beat.
///
/// Algorithm (greedy by size, the approach of TFLM's GreedyMemoryPlanner, done once on the desktop):
///  1. Buffers: a tensor and every RESHAPE alias of it share one buffer.
///  2. Lifetime of a buffer: [first op that writes it, last op that reads it]; model inputs are alive
///     from op 0, model outputs until the last op, state tensors (SVDF) for the whole run: they keep
///     their value between inferences, so nothing else may ever use their bytes. Times are op indices,
///     inclusive.
///  3. Sort buffers by size, largest first (ties: earlier first use first).
///  4. Place each buffer at the lowest aligned offset where it overlaps, in address, none of the already
///     placed buffers whose lifetime intersects its own. The candidates are 0 and the end of each such
///     buffer, so the search is over O(n) offsets per buffer, O(n^2) in all: n is a few dozen.
///  5. Arena = the highest end. Lower bound = the maximum over ops of the bytes alive during that op.
/// Big buffers placed first cannot be displaced by small ones, which keeps fragmentation low; for the
/// chain-shaped graphs of keyword models the result is usually the lower bound plus alignment.
/// </summary>
public static class ArenaPlanner
{
    /// <summary>Alignment of every arena offset (4: int32 and float32 loads on the device).</summary>
    public const int Alignment = 4;

    /// <summary>One planned buffer: its tensors, size, lifetime and offset.</summary>
    public sealed record Buffer(int Root, int Bytes, int FirstOp, int LastOp)
    {
        public int Offset { get; set; }
    }

    /// <summary>Plans the arena of <paramref name="graph"/>: sets every arena tensor's offset, the arena size and its lower bound.</summary>
    public static IReadOnlyList<Buffer> Plan(EmmGraph graph)
    {
        List<Buffer> buffers = Lifetimes(graph);
        var placed = new List<Buffer>();
        foreach (Buffer b in buffers.OrderByDescending(b => b.Bytes).ThenBy(b => b.FirstOp).ThenBy(b => b.Root))
        {
            var live = placed.Where(p => p.FirstOp <= b.LastOp && b.FirstOp <= p.LastOp).ToList();
            int best = int.MaxValue;
            foreach (int candidate in live.Select(p => AlignUp(p.Offset + p.Bytes)).Prepend(0))
            {
                if (candidate < best && live.All(p => candidate + b.Bytes <= p.Offset || p.Offset + p.Bytes <= candidate))
                {
                    best = candidate;
                }
            }

            b.Offset = best;
            placed.Add(b);
        }

        foreach (Buffer b in buffers)
        {
            for (int t = 0; t < graph.Tensors.Count; t++)
            {
                if (!graph.Tensors[t].IsConstant && RootOf(graph, t) == b.Root)
                {
                    graph.Tensors[t].ArenaOffset = b.Offset;
                }
            }
        }

        graph.ArenaBytes = buffers.Count == 0 ? 0 : buffers.Max(b => b.Offset + b.Bytes);
        if (graph.ArenaBytes > Edge.Micro.Runtime.Format.EmmFormat.MaxArenaBytes)
        {
            throw new ConverterException($"the model needs an arena of {graph.ArenaBytes} bytes; the runtime supports at most {Edge.Micro.Runtime.Format.EmmFormat.MaxArenaBytes}");
        }

        graph.ArenaLowerBound = LowerBound(buffers, graph.Ops.Count);
        return buffers;
    }

    /// <summary>The maximum over op indices of the bytes of all buffers alive at that op.</summary>
    public static int LowerBound(IReadOnlyList<Buffer> buffers, int opCount)
    {
        int best = 0;
        for (int op = 0; op < Math.Max(1, opCount); op++)
        {
            best = Math.Max(best, buffers.Where(b => b.FirstOp <= op && op <= b.LastOp).Sum(b => b.Bytes));
        }

        return best;
    }

    /// <summary>The tensor whose buffer tensor t uses (follows RESHAPE aliases).</summary>
    public static int RootOf(EmmGraph graph, int t)
    {
        int steps = 0;
        while (graph.Tensors[t].AliasOf >= 0 && steps++ <= graph.Tensors.Count)
        {
            t = graph.Tensors[t].AliasOf;
        }

        return t;
    }

    private static List<Buffer> Lifetimes(EmmGraph graph) => Lifetimes(
        graph.Ops.Count,
        op => graph.Ops[op].Inputs.Concat(graph.Ops[op].Outputs),
        graph.Inputs,
        graph.Outputs,
        t => graph.Tensors[t].IsState,
        t => graph.Tensors[t].IsConstant,
        t => RootOf(graph, t),
        t => graph.Tensors[t].ByteSize);

    /// <summary>
    /// Buffers and their lifetimes for any graph description: a buffer per root tensor, alive from its
    /// first touch (model inputs: op 0) to its last (model outputs: the last op); a state tensor is alive
    /// from the first op to the last. Shared by the planner and by inspect, which rebuilds the lifetimes
    /// from an .emm file.
    /// </summary>
    public static List<Buffer> Lifetimes(
        int opCount, Func<int, IEnumerable<int>> opTensors, IEnumerable<int> inputs, IEnumerable<int> outputs,
        Func<int, bool> isState, Func<int, bool> isConstant, Func<int, int> root, Func<int, int> byteSize)
    {
        int last = Math.Max(0, opCount - 1);
        var first = new Dictionary<int, int>();
        var end = new Dictionary<int, int>();
        void Touch(int tensor, int op)
        {
            if (isConstant(tensor))
            {
                return;
            }

            int r = root(tensor);
            first[r] = first.TryGetValue(r, out int f) ? Math.Min(f, op) : op;
            end[r] = end.TryGetValue(r, out int e) ? Math.Max(e, op) : op;
        }

        foreach (int t in inputs)
        {
            Touch(t, 0);
        }

        for (int op = 0; op < opCount; op++)
        {
            foreach (int t in opTensors(op))
            {
                Touch(t, op);
                if (isState(t))
                {
                    Touch(t, 0);
                    Touch(t, last);
                }
            }
        }

        foreach (int t in outputs)
        {
            Touch(t, last);
        }

        return first.Keys.OrderBy(k => k).Select(r => new Buffer(r, byteSize(r), first[r], end[r])).ToList();
    }

    private static int AlignUp(int value) => (value + Alignment - 1) / Alignment * Alignment;
}
