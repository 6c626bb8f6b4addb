using System.Text;
using Edge.Micro.Fleet.Dashboard;
using Edge.Micro.Fleet.Gateway;
using Edge.Micro.Host.Simulation;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Fleet.Tests;

/// <summary>
/// A console that garbles lines (as noise on a real UART does) behind a real gateway and broker: a garbled answer
/// makes the gateway open the console again, a garbled event line is reported in the heartbeat's note, and the
/// detections after them still arrive. The device is a script on a socat pty answering the gateway's commands in
/// json mode, since the simulator never garbles a line.
/// </summary>
public class GarbledConsoleTests
{
    private const string Garbled = "{\"event\":\"detection\",\"label\":\"ye";
    private const string Detection = "{\"event\":\"detection\",\"label\":\"yes\",\"score\":230,\"timeMs\":1000}";
    private static int s_infos;

    // The json answer of the console (docs/console.md) to each line the gateway sends: the first "info" answer is
    // cut short, and each "stats" answer is followed by a garbled event line and a whole one.
    private static string[] Answer(string line) => line.Split(' ') switch
    {
        ["ping", string token] => [$"{{\"ok\":true,\"cmd\":\"ping\",\"pong\":\"{token}\"}}"],
        ["mode", "json"] => ["{\"ok\":true,\"cmd\":\"mode\",\"mode\":\"json\"}"],
        ["info"] when Interlocked.Increment(ref s_infos) == 1 => ["{\"ok\":true,\"cmd\":\"info\",\"model\":\"scr"], // the first answer garbled
        ["info"] => ["{\"ok\":true,\"cmd\":\"info\",\"model\":\"scripted\",\"modelCrc\":\"0a1b2c3d\"}"],
        ["threshold"] => ["{\"ok\":true,\"cmd\":\"threshold\",\"yes\":200}"],
        ["log", "on"] => ["{\"ok\":true,\"cmd\":\"log\",\"log\":\"on\"}"],
        ["stats"] => ["{\"ok\":true,\"cmd\":\"stats\",\"detections.yes\":0}", Garbled, Detection],
        _ => [$"{{\"ok\":false,\"cmd\":\"{line.Split(' ')[0]}\",\"error\":\"unknown command (try help)\"}}"],
    };

    [SkippableFact]
    public async Task A_garbled_event_line_is_reported_and_the_detections_after_it_still_arrive()
    {
        Skip.If(!File.Exists("/usr/bin/socat") && !Corpus.InCi, "socat is not installed (scripts/install-deps.sh)");
        using var broker = new MosquittoBroker();
        string link = Path.Combine(Path.GetTempPath(), $"edge-micro-garbled-{Environment.ProcessId}");
        using var pty = PseudoTerminal.Open(link);
        using var stop = new CancellationTokenSource();
        var device = Task.Run(() =>
        {
            var input = new StringBuilder();
            var buffer = new byte[256];
            while (!stop.IsCancellationRequested)
            {
                int n = pty.Port.Read(buffer, 0, buffer.Length);
                input.Append(Encoding.ASCII.GetString(buffer, 0, n));
                for (int end; (end = input.ToString().IndexOf('\n')) >= 0; input.Remove(0, end + 1))
                {
                    byte[] reply = Encoding.ASCII.GetBytes(string.Concat(Answer(input.ToString(0, end).Trim()).Select(l => l + "\n")));
                    pty.Port.Write(reply, 0, reply.Length);
                }

                Thread.Sleep(n == 0 ? 10 : 0);
            }
        });

        await using var dashboard = new FleetState("127.0.0.1", broker.Port, "test-garbled");
        var gateway = new FleetGateway(new GatewayOptions { BrokerPort = broker.Port, Name = "garbled", HeartbeatInterval = TimeSpan.FromMinutes(1) },
            new Dictionary<string, string> { ["scripted"] = link });
        try
        {
            await Wait.Until(() => dashboard.DetectionCounts("scripted").GetValueOrDefault("yes") >= 1, TimeSpan.FromSeconds(30), "the detection after the garbled line");
            await Wait.Until(() => ((string?)dashboard.LastHeartbeat("scripted")?["note"])?.Contains("unreadable event line: " + Garbled) == true,
                TimeSpan.FromSeconds(10), "the heartbeat's note on the garbled line");
            Assert.Equal("online", (string?)dashboard.LastHeartbeat("scripted")?["state"]);
            Assert.Equal(1, gateway.Devices["scripted"].Reconnects);
            Assert.StartsWith("unreadable answer from the device: {\"ok\":true,\"cmd\":\"info\",\"model\":\"scr", gateway.Devices["scripted"].LastError);
        }
        finally
        {
            await gateway.DisposeAsync();
            stop.Cancel();
            await device;
        }
    }
}
