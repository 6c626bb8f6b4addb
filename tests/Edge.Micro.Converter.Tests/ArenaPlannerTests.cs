using Edge.Micro.Converter.Lowering;
using Edge.Micro.Converter.Planning;
using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Converter.Tests;

/// <summary>The planner never overlaps live tensors and never beats the lower bound.</summary>
public class ArenaPlannerTests
{
    private static EmmGraph Chain(params int[] sizes)
    {
        // A chain t0 -> op0 -> t1 -> op1 -> t2 ...: each op reads the previous tensor and writes the next.
        var g = new EmmGraph { Name = "chain" };
        for (int i = 0; i < sizes.Length; i++)
        {
            g.Tensors.Add(new EmmTensor { Name = $"t{i}", Type = ElementType.Int8, Shape = [sizes[i]] });
        }

        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            g.Ops.Add(new EmmOp { Code = OpCode.Quantize, Inputs = [i], Outputs = [i + 1], Params = [] });
        }

        g.Inputs.Add(0);
        g.Outputs.Add(sizes.Length - 1);
        return g;
    }

    private static void AssertNoLiveOverlap(IReadOnlyList<ArenaPlanner.Buffer> plan)
    {
        foreach (var a in plan)
        {
            foreach (var b in plan)
            {
                if (a == b || a.LastOp < b.FirstOp || b.LastOp < a.FirstOp)
                {
                    continue;
                }

                Assert.True(a.Offset + a.Bytes <= b.Offset || b.Offset + b.Bytes <= a.Offset,
                    $"t{a.Root} [{a.Offset},{a.Offset + a.Bytes}) overlaps t{b.Root} [{b.Offset},{b.Offset + b.Bytes}) while both are alive");
            }
        }
    }

    [Fact]
    public void Chain_needs_only_the_largest_neighbouring_pair()
    {
        EmmGraph g = Chain(100, 400, 200, 40);
        var plan = ArenaPlanner.Plan(g);
        AssertNoLiveOverlap(plan);
        Assert.Equal(600, g.ArenaLowerBound);
        Assert.Equal(600, g.ArenaBytes);
    }

    [Fact]
    public void Random_graphs_never_overlap_live_tensors_and_respect_the_lower_bound()
    {
        var random = new Random(1234);
        for (int trial = 0; trial < 500; trial++)
        {
            var g = new EmmGraph { Name = "random" };
            int tensors = random.Next(2, 14);
            for (int i = 0; i < tensors; i++)
            {
                g.Tensors.Add(new EmmTensor { Name = $"t{i}", Type = ElementType.Int8, Shape = [random.Next(1, 5000)] });
            }

            // Each op reads one or two earlier tensors and writes the next one (a random DAG with skips).
            for (int t = 1; t < tensors; t++)
            {
                int[] inputs = random.Next(2) == 0 ? [random.Next(t)] : [random.Next(t), random.Next(t)];
                g.Ops.Add(new EmmOp { Code = OpCode.Add, Inputs = inputs.Distinct().ToArray(), Outputs = [t], Params = [] });
            }

            g.Inputs.Add(0);
            g.Outputs.Add(tensors - 1);
            var plan = ArenaPlanner.Plan(g);
            AssertNoLiveOverlap(plan);
            Assert.True(g.ArenaBytes >= g.ArenaLowerBound);
            Assert.All(plan, b => Assert.Equal(0, b.Offset % ArenaPlanner.Alignment));
        }
    }

    [Fact]
    public void Reshape_alias_shares_the_buffer_of_its_input()
    {
        EmmGraph g = Chain(100, 100, 50);
        g.Tensors[1].AliasOf = 0;
        ArenaPlanner.Plan(g);
        Assert.Equal(g.Tensors[0].ArenaOffset, g.Tensors[1].ArenaOffset);
        Assert.Equal(150, g.ArenaBytes);
    }
}
