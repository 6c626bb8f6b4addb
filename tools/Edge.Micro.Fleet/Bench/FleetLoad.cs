using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Edge.Micro.Fleet.Mqtt;
using MQTTnet;

namespace Edge.Micro.Fleet.Bench;

/// <summary>One load step: what was sent and delivered, the end-to-end latency and the CPU it cost.</summary>
public sealed record LoadStep(int Devices, long Expected, long Delivered, double P50Ms, double P95Ms, double P99Ms, double MaxMs,
    double BrokerCpuPercent, double GatewayCpuPercent, long Dropped);

/// <summary>
/// The fleet's broker path under load (scripts/fleet-bench.sh): N synthetic devices publish through one gateway
/// outbox exactly what a <c>DeviceBridge</c> publishes (a detection per device per second, stats every 10 s, the
/// same envelope and topics), one subscriber receives everything; end-to-end latency is the subscriber's clock minus
/// the message's <c>at</c>. The devices' serial links are not part of it: each real device has its own UART and
/// thread in the gateway.
/// </summary>
public static class FleetLoad
{
    private const int StatsEverySeconds = 10;

    /// <summary>Runs <paramref name="devices"/> devices for <paramref name="duration"/>; CPU of the broker process <paramref name="brokerPid"/> if given.</summary>
    public static async Task<LoadStep> RunAsync(string host, int port, int devices, TimeSpan duration, int? brokerPid)
    {
        var latencies = new List<double>();
        long delivered = 0;
        string prefix = "bench" + Guid.NewGuid().ToString("N")[..6];
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            if (!e.ApplicationMessage.Topic.Contains(prefix, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            var message = JsonNode.Parse(Encoding.UTF8.GetString(e.ApplicationMessage.Payload))!;
            double ms = (DateTimeOffset.UtcNow - DateTimeOffset.Parse((string)message["at"]!)).TotalMilliseconds;
            lock (latencies)
            {
                latencies.Add(ms);
                delivered++;
            }

            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId(prefix + "-sub").Build());
        await subscriber.SubscribeAsync(new MqttClientFactory().CreateSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(FleetTopics.Root + "/+/detection").WithAtLeastOnceQoS())
            .WithTopicFilter(f => f.WithTopic(FleetTopics.Root + "/+/stats").WithAtLeastOnceQoS()).Build());

        await using var outbox = new MqttOutbox(host, port, prefix + "-gw", capacity: 10_000_000);
        var seq = new long[devices];
        long expected = 0;
        (double broker, double gateway) cpuStart = (CpuSeconds(brokerPid), CpuSeconds(Environment.ProcessId));
        var clock = Stopwatch.StartNew();
        var sentThisSecond = 0;
        int second = 0;
        while (clock.Elapsed < duration)
        {
            // Device i's detection is due at i/devices of each second; its stats at second (i mod 10) of every ten.
            int due = (int)Math.Min(devices, (clock.Elapsed.TotalSeconds - second) * devices);
            for (; sentThisSecond < due; sentThisSecond++)
            {
                int i = sentThisSecond;
                string id = $"{prefix}-{i:D5}";
                outbox.Enqueue(FleetTopics.Detection(id), Envelope(id, ++seq[i], new JsonObject { ["label"] = "yes", ["score"] = 210, ["timeMs"] = second * 1000L }));
                expected++;
                if (i % StatsEverySeconds == second % StatsEverySeconds)
                {
                    outbox.Enqueue(FleetTopics.Stats(id), Envelope(id, ++seq[i], Stats()), retain: false);
                    expected++;
                }
            }

            if (clock.Elapsed.TotalSeconds >= second + 1)
            {
                second++;
                sentThisSecond = 0;
            }

            await Task.Delay(5);
        }

        double elapsed = clock.Elapsed.TotalSeconds;
        (double broker, double gateway) cpuEnd = (CpuSeconds(brokerPid), CpuSeconds(Environment.ProcessId));
        var drain = Stopwatch.StartNew();
        while (Interlocked.Read(ref delivered) < expected && drain.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        double[] sorted;
        lock (latencies)
        {
            sorted = latencies.Order().ToArray();
        }

        double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        return new LoadStep(devices, expected, delivered, P(0.50), P(0.95), P(0.99), sorted.Length == 0 ? double.NaN : sorted[^1],
            brokerPid == null ? double.NaN : 100 * (cpuEnd.broker - cpuStart.broker) / elapsed, 100 * (cpuEnd.gateway - cpuStart.gateway) / elapsed, outbox.Dropped);
    }

    private static string Envelope(string device, long seq, JsonObject body)
    {
        body["device"] = device;
        body["session"] = 1;
        body["seq"] = seq;
        body["at"] = DateTimeOffset.UtcNow.ToString("O");
        return body.ToJsonString();
    }

    // The size and shape of a real stats message (about 600 bytes).
    private static JsonObject Stats() => new()
    {
        ["inferences"] = 12345, ["detections.silence"] = 0, ["detections.unknown"] = 0, ["detections.yes"] = 40, ["detections.no"] = 38,
        ["latencyMinUs"] = 140, ["latencyAvgUs"] = 160, ["latencyMaxUs"] = 900, ["frames"] = 61725, ["droppedFrames"] = 0, ["budgetOverruns"] = 0,
        ["audioMs"] = 1234500, ["rtf"] = 110.5, ["rtfFrontEnd"] = 400.1, ["rtfModel"] = 160.2, ["rtfRecognizer"] = 9000.0,
        ["inferenceEveryFrames"] = 1, ["realtimeFallbacks"] = 0, ["uptimeMs"] = 1234567, ["model"] = "yes_no", ["modelCrc"] = "0a1b2c3d", ["baseline"] = false,
    };

    // User plus system CPU seconds of a process, from /proc (Linux); 0 where unavailable.
    private static double CpuSeconds(int? pid)
    {
        try
        {
            if (pid == null)
            {
                return 0;
            }

            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime, stime in clock ticks (USER_HZ = 100)
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
