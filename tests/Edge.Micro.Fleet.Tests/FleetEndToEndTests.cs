using System.Text.Json.Nodes;
using Edge.Micro.Converter;
using Edge.Micro.Fleet.Dashboard;
using Edge.Micro.Fleet.Gateway;
using Edge.Micro.TestSupport;
using Xunit.Abstractions;

namespace Edge.Micro.Fleet.Tests;

/// <summary>
/// The fleet end to end on real parts: Mosquitto on a loopback port, 20 `edge-micro simulate` processes on ptys, one
/// gateway, one subscriber (the dashboard's state). The broker is restarted in the middle; a model is pushed to half
/// the devices and a model that does not fit to one more; then every device's own detection counters are compared
/// with what the subscriber received.
/// </summary>
public class FleetEndToEndTests(ITestOutputHelper log)
{
    private const int Devices = 20;

    private static string Show(IReadOnlyDictionary<string, long>? counts) =>
        counts == null ? "nothing" : string.Join(",", counts.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"));

    private static string Hex(byte[] emm) => BitConverter.ToUInt32(emm, 12).ToString("x8");

    [SkippableFact]
    public async Task Every_detection_arrives_once_across_a_broker_restart_and_pushed_devices_run_the_new_model()
    {
        using var broker = new MosquittoBroker();
        using var fleet = new SimulatedFleet(Devices);
        await using var dashboard = new FleetState("127.0.0.1", broker.Port, "test-dashboard");
        await Wait.Until(() => dashboard.Connected, TimeSpan.FromSeconds(10), "the dashboard's connection");
        var gateway = new FleetGateway(new GatewayOptions
        {
            BrokerPort = broker.Port, Name = "test", StatsInterval = TimeSpan.FromSeconds(2), HeartbeatInterval = TimeSpan.FromSeconds(2),
        }, fleet.Ports);
        try
        {
            await Wait.Until(() => fleet.Ids.All(id => (string?)dashboard.LastHeartbeat(id)?["state"] == "online"), TimeSpan.FromSeconds(60), "every device online");
            await Wait.Until(() => fleet.Ids.Sum(id => dashboard.DetectionCounts(id).Values.Sum()) >= Devices, TimeSpan.FromSeconds(60), "detections");

            // The broker goes away for a few seconds: the gateway queues, the subscriber's session waits on the broker's disk.
            broker.Stop();
            await Task.Delay(TimeSpan.FromSeconds(4));
            Assert.True(gateway.Outbox.Pending > 0, "nothing was queued while the broker was away");
            broker.Start();
            await Wait.Until(() => dashboard.Connected && gateway.Outbox.Connected, TimeSpan.FromSeconds(30), "reconnection");

            // A new model to the first half, one that does not fit (another input) to the last device.
            byte[] v2 = ModelConverter.Convert(File.ReadAllBytes(Corpus.PathOf("models", "micro_speech_quantized.tflite")), "micro_speech_v2").Emm;
            byte[] misfit = ModelConverter.Convert(File.ReadAllBytes(Corpus.PathOf("models", "ds_cnn_s_quantized.tflite")), "ds_cnn_s").Emm;
            string[] pushed = fleet.Ids.Take(Devices / 2).ToArray();
            foreach (string id in pushed)
            {
                dashboard.SendCommand(id, new JsonObject { ["action"] = "push-model", ["emm"] = Convert.ToBase64String(v2) });
            }

            string refusing = fleet.Ids[^1];
            dashboard.SendCommand(refusing, new JsonObject { ["action"] = "push-model", ["emm"] = Convert.ToBase64String(misfit) });
            await Wait.Until(() => pushed.Append(refusing).All(id => dashboard.Results(id).Count > 0), TimeSpan.FromSeconds(180), "every push's result");
            await Task.Delay(TimeSpan.FromSeconds(3)); // detections on the new model
        }
        finally
        {
            await gateway.DisposeAsync(); // last stats of every device, then everything queued is delivered
        }

        string Differences() => string.Join("; ", fleet.Ids.Select(id => $"{id}: counted {Show(dashboard.DeviceCountedDetections(id))}, received {Show(dashboard.DetectionCounts(id))}, " +
            $"forwarded by the gateway {gateway.Devices[id].Detections}, late answers skipped {gateway.Devices[id].SkippedLines}, " +
            $"reconnects {gateway.Devices[id].Reconnects} ({gateway.Devices[id].LastError}), " +
            $"last stats seq {dashboard.LastStats(id)?["seq"]}"));
        try
        {
            await Wait.Until(() => fleet.Ids.All(id => dashboard.DeviceCountedDetections(id) is { } counted
                && counted.Sum(p => p.Value) == dashboard.DetectionCounts(id).Values.Sum()), TimeSpan.FromSeconds(30), "the last stats of every device");
        }
        catch (Xunit.Sdk.XunitException e)
        {
            Assert.Fail(e.Message + ": " + Differences() + $"; gateway published {gateway.Outbox.Published}, unsent {gateway.Outbox.Pending}, dropped {gateway.Outbox.Dropped}");
        }

        long total = 0;
        foreach (string id in fleet.Ids)
        {
            var counted = dashboard.DeviceCountedDetections(id)!;
            var received = dashboard.DetectionCounts(id);
            foreach (string label in counted.Keys.Union(received.Keys))
            {
                Assert.True(counted.GetValueOrDefault(label) == received.GetValueOrDefault(label),
                    $"{id} {label}: the device counted {counted.GetValueOrDefault(label)}, the subscriber received {received.GetValueOrDefault(label)}");
            }

            var detections = dashboard.Detections(id);
            Assert.All(detections, d => Assert.Contains(d.Label, new[] { "yes", "no" }));
            Assert.True(detections.Zip(detections.Skip(1)).All(p => p.Second.TimeMs > p.First.TimeMs), $"{id}: detection times out of order or repeated");
            total += detections.Count;
        }

        foreach (string id in fleet.Ids)
        {
            JsonObject result = dashboard.Results(id).LastOrDefault() ?? new JsonObject();
            string? crc = (string?)dashboard.LastHeartbeat(id)?["modelCrc"];
            if (id == fleet.Ids[^1])
            {
                Assert.False((bool?)result["ok"]);
                Assert.Contains("does not fit this device", (string?)result["message"]);
            }
            else if (fleet.Ids.Take(Devices / 2).Contains(id))
            {
                Assert.True((bool?)result["ok"] == true, $"{id}: {result["message"]}");
                Assert.Equal("micro_speech_v2", (string?)result["model"]);
            }

            bool shouldRunV2 = fleet.Ids.Take(Devices / 2).Contains(id);
            Assert.Equal(shouldRunV2, crc == Hex(ModelConverter.Convert(File.ReadAllBytes(Corpus.PathOf("models", "micro_speech_quantized.tflite")), "micro_speech_v2").Emm));
        }

        log.WriteLine($"{Devices} devices, {total} detections, each received once; duplicates dropped by sequence number: {dashboard.Duplicates}; " +
            $"gateway published {gateway.Outbox.Published}, dropped {gateway.Outbox.Dropped}; consoles reopened " +
            $"{gateway.Devices.Values.Sum(d => d.Reconnects)} times, late answers skipped {gateway.Devices.Values.Sum(d => d.SkippedLines)}");
        Assert.True(total >= 2 * Devices, $"only {total} detections");
        Assert.Equal(0, gateway.Outbox.Dropped);
    }
}
