using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Cli.Commands;

/// <summary>What train and evaluate share: loading a dataset folder and printing a confusion matrix.</summary>
internal static class DatasetReport
{
    /// <summary>Loads an edge-micro dataset folder; a missing or broken one is a <see cref="CliException"/>.</summary>
    public static Dataset Load(DirectoryInfo folder)
    {
        try
        {
            return Dataset.Load(folder.FullName);
        }
        catch (InvalidDataException e)
        {
            throw new CliException(e.Message);
        }
    }

    /// <summary>Prints confusion[true, predicted] as a table with the labels as row and column heads.</summary>
    public static void WriteConfusion(TextWriter output, string[] labels, int[,] confusion)
    {
        output.WriteLine("confusion (rows: true label, columns: int8 prediction)");
        output.WriteLine("           " + string.Concat(labels.Select(l => $"{l,9}")));
        for (int t = 0; t < labels.Length; t++)
        {
            output.WriteLine($"  {labels[t],-9}" + string.Concat(Enumerable.Range(0, labels.Length).Select(p => $"{confusion[t, p],9}")));
        }
    }
}
