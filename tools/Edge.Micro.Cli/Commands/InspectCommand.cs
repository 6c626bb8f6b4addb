using System.CommandLine;
using Edge.Micro.Host;
using Edge.Micro.Host.Inspection;
using Edge.Micro.Host.Plots;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro inspect: op table, tensors and the arena plan of a .tflite or .emm.</summary>
public static class InspectCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Argument<FileInfo>("model") { Description = "Model file (.tflite or .emm)" };
        var json = new Option<bool>("--json") { Description = "Print everything as JSON" };
        var plot = new Option<FileInfo?>("--plot") { Description = "Draw the arena plan (tensors as boxes over op index x arena offset) to a PNG file" };
        var command = new Command("inspect", "Show a model's ops (shapes, parameters, MACs, quantization) and its arena plan") { model, json, plot };
        command.SetAction(parse =>
        {
            LoadedModel loaded = LoadedModel.Load(parse.GetValue(model)!.FullName);
            ModelSummary s = ModelSummary.From(loaded.Model);
            if (parse.GetValue(json))
            {
                output.WriteLine(SummaryJson.Serialize(s, includeParams: true));
            }
            else
            {
                WriteText(output, s);
            }

            if (parse.GetValue(plot) is FileInfo png)
            {
                ArenaPlanPlot.Save(s, png.FullName);
                if (!parse.GetValue(json))
                {
                    output.WriteLine($"arena plan drawn to {png.FullName}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Shape(int[] shape) => "[" + string.Join(",", shape) + "]";

    /// <summary>The human-readable report.</summary>
    public static void WriteText(TextWriter o, ModelSummary s)
    {
        o.WriteLine($"model {s.Name}: {s.ModelBytes} bytes, arena {s.ArenaBytes} bytes (lower bound {s.ArenaLowerBound}), {s.TotalMacs} MACs");
        o.WriteLine($"RAM at run time: arena {s.ArenaBytes} B + decoded tables {s.DecodedTableBytes} B (+ heap object overhead); the model itself is read in place");
        o.WriteLine($"Left in flash on a device: + tables {s.FlashTableBytes} B; the managed kernels read each op's constants into a {s.ConstantWindowBytes} B window, the native ones none");
        o.WriteLine();
        o.WriteLine($"{"#",3}  {"op",-18} {"inputs",-28} {"output",-16} {"MACs",10}  parameters");
        foreach (OpInfo op in s.Ops)
        {
            string inputs = string.Join(" ", op.Inputs.Select(t => Shape(s.Tensors[t].Shape)));
            string outputs = string.Join(" ", op.Outputs.Select(t => Shape(s.Tensors[t].Shape)));
            string parameters = string.Join(" ", op.Params.Where(p => !p.Key.EndsWith('@')).Select(p => $"{p.Key}={p.Value}"));
            o.WriteLine($"{op.Index,3}  {op.Op,-18} {inputs,-28} {outputs,-16} {op.Macs,10}  {parameters}");
        }

        o.WriteLine();
        o.WriteLine($"{"#",3}  {"type",-8} {"shape",-16} {"scale",12} {"zp",5}  {"where",-6} {"offset",7} {"bytes",7}  name");
        foreach (TensorInfo t in s.Tensors)
        {
            o.WriteLine($"{t.Index,3}  {t.Type,-8} {Shape(t.Shape),-16} {t.Scale,12:G6} {t.ZeroPoint,5}  {t.Storage,-6} {t.Offset,7} {t.Bytes,7}  {t.Name}");
        }

        o.WriteLine();
        o.WriteLine("arena plan (tensor: [offset, end) alive ops first..last)");
        foreach (var b in s.Buffers.OrderBy(b => b.Offset))
        {
            o.WriteLine($"  t{b.Root,-3} [{b.Offset,6}, {b.Offset + b.Bytes,6})  ops {b.FirstOp}..{b.LastOp}");
        }
    }
}
