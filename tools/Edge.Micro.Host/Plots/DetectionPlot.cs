using Edge.Micro.Host.Audio;

namespace Edge.Micro.Host.Plots;

/// <summary>Draws a detection run: the features as a spectrogram over time, each label's smoothed score, detections marked.</summary>
public static class DetectionPlot
{
    /// <summary>Writes the picture as a PNG.</summary>
    public static void Save(DetectionRun run, string path, int width = 1100, int height = 750)
    {
        // One plot: the spectrogram fills the band below zero, the scores (0..255) the band above it.
        var plot = new ScottPlot.Plot();
        ScottPlot.Plot spectrogram = plot;
        ScottPlot.Plot scores = plot;
        const double SpectrogramTop = -10, SpectrogramBottom = -170;

        int frames = run.Features.Count;
        int channels = frames == 0 ? 1 : run.Features[0].Length;
        var intensities = new double[channels, Math.Max(1, frames)];
        for (int f = 0; f < frames; f++)
        {
            for (int c = 0; c < channels; c++)
            {
                intensities[channels - 1 - c, f] = run.Features[f][c];
            }
        }

        double startMs = run.FirstFrameEndMs - run.FrameMs;
        double endMs = run.FirstFrameEndMs + run.FrameMs * Math.Max(0, frames - 1);
        var heatmap = spectrogram.Add.Heatmap(intensities);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Extent = new ScottPlot.CoordinateRect(startMs / 1000, endMs / 1000, SpectrogramBottom, SpectrogramTop);

        var palette = new ScottPlot.Palettes.Category10();
        double[] times = run.Scores.Select(s => s.TimeMs / 1000.0).ToArray();
        for (int l = 0; l < run.Labels.Length; l++)
        {
            double[] values = run.Scores.Select(s => (double)s.Averages[l]).ToArray();
            var line = scores.Add.ScatterLine(times, values);
            line.LegendText = run.Labels[l];
            line.Color = palette.GetColor(l);
            line.LineWidth = 2;
        }

        foreach (Detection d in run.Detections)
        {
            var marker = scores.Add.VerticalLine(d.TimeMs / 1000.0);
            marker.LineColor = ScottPlot.Colors.Red;
            marker.LinePattern = ScottPlot.LinePattern.Dashed;
            marker.Text = $"{d.Label} {d.Score}";
        }

        plot.ShowLegend();
        plot.Title("top: each label's averaged score (0..255), detections dashed; bottom: the features of each frame");
        plot.XLabel("time (s)");
        plot.YLabel("score  /  features");
        plot.Axes.SetLimitsY(SpectrogramBottom, 260);
        plot.SavePng(path, width, height);
    }
}
