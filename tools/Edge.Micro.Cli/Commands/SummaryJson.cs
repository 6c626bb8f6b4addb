using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Micro.Host.Inspection;

namespace Edge.Micro.Cli.Commands;

/// <summary>The JSON shape of a model summary (convert --json, inspect --json).</summary>
public static class SummaryJson
{
    /// <summary>Serializes a summary: modelBytes, arenaBytes, flashTableBytes, constantWindowBytes, arenaLowerBound, ops, inputs, outputs (and tensors with params for inspect).</summary>
    public static string Serialize(ModelSummary s, bool includeParams)
    {
        JsonObject Tensor(int t)
        {
            TensorInfo i = s.Tensors[t];
            return new JsonObject
            {
                ["index"] = i.Index,
                ["name"] = i.Name,
                ["type"] = i.Type,
                ["shape"] = new JsonArray(i.Shape.Select(d => (JsonNode)d).ToArray()),
                ["scale"] = i.Scale,
                ["zeroPoint"] = i.ZeroPoint,
                ["storage"] = i.Storage,
                ["offset"] = i.Offset,
                ["bytes"] = i.Bytes,
            };
        }

        var ops = new JsonArray();
        foreach (OpInfo op in s.Ops)
        {
            var o = new JsonObject { ["index"] = op.Index, ["op"] = op.Op, ["macs"] = op.Macs };
            if (includeParams)
            {
                o["inputs"] = new JsonArray(op.Inputs.Select(i => (JsonNode)i).ToArray());
                o["outputs"] = new JsonArray(op.Outputs.Select(i => (JsonNode)i).ToArray());
                var p = new JsonObject();
                foreach (var kv in op.Params)
                {
                    p[kv.Key] = kv.Value;
                }

                o["params"] = p;
            }

            ops.Add(o);
        }

        var root = new JsonObject
        {
            ["name"] = s.Name,
            ["modelBytes"] = s.ModelBytes,
            ["arenaBytes"] = s.ArenaBytes,
            ["flashTableBytes"] = s.FlashTableBytes,
            ["constantWindowBytes"] = s.ConstantWindowBytes,
            ["arenaLowerBound"] = s.ArenaLowerBound,
            ["macs"] = s.TotalMacs,
            ["ops"] = ops,
            ["inputs"] = new JsonArray(s.Inputs.Select(t => (JsonNode)Tensor(t)).ToArray()),
            ["outputs"] = new JsonArray(s.Outputs.Select(t => (JsonNode)Tensor(t)).ToArray()),
        };
        if (includeParams)
        {
            root["tensors"] = new JsonArray(s.Tensors.Select(t => (JsonNode)Tensor(t.Index)).ToArray());
            root["plan"] = new JsonArray(s.Buffers.Select(b => (JsonNode)new JsonObject
            {
                ["tensor"] = b.Root, ["offset"] = b.Offset, ["bytes"] = b.Bytes, ["firstOp"] = b.FirstOp, ["lastOp"] = b.LastOp,
            }).ToArray());
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
