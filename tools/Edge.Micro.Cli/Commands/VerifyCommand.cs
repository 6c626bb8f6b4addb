using System.CommandLine;
using System.Text.Json.Nodes;
using Edge.Micro.Host;
using Edge.Micro.Host.Native;
using Edge.Micro.Host.Verification;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro verify: every golden case, bit for bit, final output and intermediates.</summary>
public static class VerifyCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Argument<FileInfo>("model") { Description = "Model file (.tflite or .emm)" };
        var goldens = new Option<DirectoryInfo>("--goldens", "-g") { Description = "Folder of case folders, each with input.bin and output.bin (and optionally intermediates/)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print {\"cases\":N,\"passed\":N,\"failed\":[...]}" };
        var kernels = Cli.KernelsOption();
        var command = new Command("verify", "Check a model against golden cases bit for bit; exit code 0 only if every case matches") { model, goldens, json, kernels };
        command.SetAction(parse =>
        {
            LoadedModel loaded = LoadedModel.Load(parse.GetValue(model)!.FullName);
            IReadOnlyList<string> cases = GoldenVerifier.FindCases(parse.GetValue(goldens)!.FullName);
            var kernelSet = KernelChoice.Resolve(parse.GetValue(kernels));
            var results = new List<CaseResult>();
            foreach (string c in cases)
            {
                CaseResult r = GoldenVerifier.RunCase(loaded.Model, c, kernelSet);
                results.Add(r);
                if (!parse.GetValue(json))
                {
                    output.WriteLine($"{(r.Passed ? "PASS" : "FAIL")}  {r.Name}: {r.Detail}");
                }
            }

            int passed = results.Count(r => r.Passed);
            if (parse.GetValue(json))
            {
                var failed = new JsonArray(results.Where(r => !r.Passed).Select(r => (JsonNode)new JsonObject { ["case"] = r.Name, ["detail"] = r.Detail }).ToArray());
                output.WriteLine(new JsonObject { ["cases"] = results.Count, ["passed"] = passed, ["failed"] = failed, ["kernels"] = kernelSet.Name }.ToJsonString());
            }
            else
            {
                output.WriteLine($"{passed} of {results.Count} cases match bit for bit ({kernelSet.Name} kernels)");
            }

            return passed == results.Count ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
