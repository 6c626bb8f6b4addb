using Edge.Micro.Host.Inspection;

namespace Edge.Micro.Host.Plots;

/// <summary>Draws the arena plan: each buffer is a box spanning its lifetime (op index) and its bytes (arena offset).</summary>
public static class ArenaPlanPlot
{
    /// <summary>Writes the picture as a PNG.</summary>
    public static void Save(ModelSummary summary, string path, int width = 900, int height = 600)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int i = 0;
        foreach (var b in summary.Buffers)
        {
            var rect = plot.Add.Rectangle(b.FirstOp - 0.45, b.LastOp + 0.45, b.Offset, b.Offset + b.Bytes);
            rect.FillColor = palette.GetColor(i).WithAlpha(0.6);
            rect.LineColor = palette.GetColor(i);
            var label = plot.Add.Text($"t{b.Root} {b.Bytes} B", (b.FirstOp + b.LastOp) / 2.0, b.Offset + b.Bytes / 2.0);
            label.LabelFontSize = 11;
            label.LabelAlignment = ScottPlot.Alignment.MiddleCenter;
            i++;
        }

        var arenaLine = plot.Add.HorizontalLine(summary.ArenaBytes);
        arenaLine.LegendText = $"arena {summary.ArenaBytes} B";
        var boundLine = plot.Add.HorizontalLine(summary.ArenaLowerBound);
        boundLine.LinePattern = ScottPlot.LinePattern.Dashed;
        boundLine.LegendText = $"lower bound {summary.ArenaLowerBound} B";
        plot.ShowLegend();
        plot.Title($"{summary.Name}: arena plan");
        plot.XLabel("op index (lifetime)");
        plot.YLabel("arena offset (bytes)");
        plot.Axes.SetLimitsX(-0.6, Math.Max(1, summary.Ops.Count) - 0.4);
        plot.Axes.SetLimitsY(0, Math.Max(1, summary.ArenaBytes) * 1.1);
        plot.SavePng(path, width, height);
    }
}
