using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Micro.Fleet.Dashboard;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro fleet: the web dashboard over an MQTT broker, or one snapshot of the fleet for scripts.</summary>
public static class FleetCommand
{
    public static Command Create(TextWriter output)
    {
        var broker = FleetOptions.Broker();
        var url = new Option<string>("--url") { Description = "Where the dashboard listens (default http://127.0.0.1:8080)", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var once = new Option<bool>("--once") { Description = "Collect for --wait seconds, print the fleet once and exit (no web server)" };
        var wait = new Option<double>("--wait") { Description = "Seconds --once listens before printing (default 3: heartbeats are retained, so one arrives at once)", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "With --once: print JSON" };
        var command = new Command("fleet", "The fleet dashboard: every device's state, detections over time, latency, real-time factor, model; set thresholds and roll out models (docs/fleet.md)")
        {
            broker, url, once, wait, json,
        };
        command.SetAction(parse =>
        {
            (string host, int port) = FleetOptions.Parse(parse.GetValue(broker)!);
            var state = new FleetState(host, port, "edge-micro-fleet-" + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                if (parse.GetValue(once))
                {
                    Thread.Sleep(TimeSpan.FromSeconds(parse.GetValue(wait)));
                    JsonObject snapshot = state.Snapshot();
                    if (!state.Connected)
                    {
                        throw new CliException($"no MQTT broker answered at {host}:{port}");
                    }

                    output.WriteLine(parse.GetValue(json) ? snapshot.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) : Text(snapshot));
                    return ExitCodes.Ok;
                }

                var app = DashboardServer.Build(state, parse.GetValue(url)!);
                output.WriteLine($"dashboard on {parse.GetValue(url)} (broker {host}:{port}); Ctrl-C to stop");
                app.Run();
                return ExitCodes.Ok;
            }
            finally
            {
                state.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
        return command;
    }

    private static string Text(JsonObject snapshot)
    {
        var lines = new List<string> { $"broker {snapshot["broker"]}; {((JsonArray)snapshot["devices"]!).Count} device(s)" };
        foreach (JsonNode? d in (JsonArray)snapshot["devices"]!)
        {
            JsonNode? hb = d!["heartbeat"];
            string detections = string.Join(", ", ((JsonObject)d["detections"]!).Select(p => $"{p.Key} {p.Value}"));
            lines.Add($"{d["id"],-16} {hb?["state"],-8} {hb?["model"]} {hb?["modelCrc"]}  detections: {(detections.Length > 0 ? detections : "none")}");
        }

        return string.Join(Environment.NewLine, lines);
    }
}
