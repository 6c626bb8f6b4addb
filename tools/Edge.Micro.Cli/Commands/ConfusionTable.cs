namespace Edge.Micro.Cli.Commands;

/// <summary>The confusion matrix as train and evaluate print it.</summary>
internal static class ConfusionTable
{
    /// <summary>Prints confusion[true, predicted] as a table with the labels as row and column heads.</summary>
    public static void Write(TextWriter output, string[] labels, int[,] confusion)
    {
        output.WriteLine("confusion (rows: true label, columns: int8 prediction)");
        output.WriteLine("           " + string.Concat(labels.Select(l => $"{l,9}")));
        for (int t = 0; t < labels.Length; t++)
        {
            output.WriteLine($"  {labels[t],-9}" + string.Concat(Enumerable.Range(0, labels.Length).Select(p => $"{confusion[t, p],9}")));
        }
    }
}
