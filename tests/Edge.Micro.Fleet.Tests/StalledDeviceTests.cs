using System.Text.Json.Nodes;
using Edge.Micro.Fleet.Dashboard;
using Edge.Micro.Fleet.Gateway;

namespace Edge.Micro.Fleet.Tests;

/// <summary>
/// A device that stops answering (its simulator frozen with SIGSTOP, as a hung board) behind a real gateway and
/// broker: the command sent meanwhile gets a failed result, and once the device runs again and answers everything
/// it was sent late, the gateway is back in step: the next command's result, the heartbeat's thresholds and the
/// detection counts are the device's own.
/// </summary>
public class StalledDeviceTests
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(3);

    private static JsonObject? ResultOf(FleetState dashboard, string device, string id) =>
        dashboard.Results(device).LastOrDefault(r => (string?)r["id"] == id);

    [SkippableFact]
    public async Task A_command_to_a_hung_device_fails_and_the_late_answers_do_not_shift_the_next_ones()
    {
        using var broker = new MosquittoBroker();
        using var fleet = new SimulatedFleet(1);
        string device = fleet.Ids[0];
        await using var dashboard = new FleetState("127.0.0.1", broker.Port, "test-stalled");
        await Wait.Until(() => dashboard.Connected, TimeSpan.FromSeconds(10), "the dashboard's connection");
        var gateway = new FleetGateway(new GatewayOptions
        {
            BrokerPort = broker.Port, Name = "stalled", StatsInterval = TimeSpan.FromSeconds(1), HeartbeatInterval = TimeSpan.FromSeconds(1),
            AnswerTimeout = AnswerTimeout,
        }, fleet.Ports);
        try
        {
            await Wait.Until(() => dashboard.DetectionCounts(device).Values.Sum() >= 1, TimeSpan.FromSeconds(60), "a first detection");

            fleet.Pause(device);
            string lost = dashboard.SendCommand(device, new JsonObject { ["action"] = "threshold", ["label"] = "yes", ["value"] = 201 });
            await Wait.Until(() => ResultOf(dashboard, device, lost) != null, TimeSpan.FromSeconds(30), "the hung device's command result");
            JsonObject failed = ResultOf(dashboard, device, lost)!;
            Assert.False((bool?)failed["ok"]);
            Assert.Contains("did not answer", (string?)failed["message"]);

            // Frozen a while longer: the gateway opens the console again at least twice meanwhile (each try waits an
            // answer timeout, then 2 s), so the device owes several answers, pings of two connections among them.
            await Task.Delay(3 * (AnswerTimeout + TimeSpan.FromSeconds(2)));
            fleet.Resume(device);
            string next = dashboard.SendCommand(device, new JsonObject { ["action"] = "threshold", ["label"] = "yes", ["value"] = 190 });
            await Wait.Until(() => ResultOf(dashboard, device, next) != null, TimeSpan.FromSeconds(60), "the next command's result");
            Assert.True((bool?)ResultOf(dashboard, device, next)!["ok"], (string?)ResultOf(dashboard, device, next)!["message"]);
            await Wait.Until(() => (int?)dashboard.LastHeartbeat(device)?["thresholds"]?["yes"] == 190
                && (string?)dashboard.LastHeartbeat(device)?["state"] == "online", TimeSpan.FromSeconds(30), "the heartbeat's threshold 190");
            Assert.Equal("micro_speech_quantized", (string?)dashboard.LastHeartbeat(device)?["model"]);

            long before = dashboard.DetectionCounts(device).Values.Sum();
            await Wait.Until(() => dashboard.DetectionCounts(device).Values.Sum() > before, TimeSpan.FromSeconds(30), "detections after the stall");
        }
        finally
        {
            await gateway.DisposeAsync();
        }

        await Wait.Until(() => dashboard.DeviceCountedDetections(device) is { } counted
            && counted.Values.Sum() == dashboard.DetectionCounts(device).Values.Sum(), TimeSpan.FromSeconds(30),
            $"the device's own count ({string.Join(",", dashboard.DeviceCountedDetections(device) ?? new Dictionary<string, long>())}) " +
            $"to equal the detections received ({string.Join(",", dashboard.DetectionCounts(device))})");
        Assert.True(gateway.Devices[device].SkippedLines > 0, "the late answers were never skipped: the test did not make the device owe any");
    }
}
