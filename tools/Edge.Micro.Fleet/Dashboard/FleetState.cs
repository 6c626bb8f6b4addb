using System.Text;
using System.Text.Json.Nodes;
using Edge.Micro.Fleet.Mqtt;
using MQTTnet;

namespace Edge.Micro.Fleet.Dashboard;

/// <summary>
/// What the dashboard knows, built from the broker: every device's last heartbeat and stats, its detections (each
/// counted once: a message repeated by a reconnect has the same session and sequence number), detections per label
/// per 10-second bucket, the false triggers users flagged and the results of commands. Thread-safe; <see cref="Snapshot"/>
/// is the JSON the page and `fleet --once --json` show.
/// </summary>
public sealed class FleetState : IAsyncDisposable
{
    /// <summary>Detections kept per device for the page (the counts cover all of them).</summary>
    public const int RecentDetections = 50;

    /// <summary>Width of the chart's time buckets.</summary>
    public const int BucketSeconds = 10;

    private readonly object _lock = new();
    private readonly Dictionary<string, DeviceView> _devices = new();
    private readonly MqttOutbox _outbox;

    /// <summary>Subscribes to everything under edge-micro/ on the broker, as client <paramref name="clientId"/>.</summary>
    public FleetState(string host, int port, string clientId)
    {
        _outbox = new MqttOutbox(host, port, clientId, capacity: 10_000, client =>
            client.ApplicationMessageReceivedAsync += e =>
            {
                Receive(e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
                return Task.CompletedTask;
            });
        _outbox.OnConnected = client => client.SubscribeAsync(new MqttClientFactory().CreateSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(FleetTopics.Everything).WithAtLeastOnceQoS()).Build());
    }

    /// <summary>True while connected to the broker.</summary>
    public bool Connected => _outbox.Connected;

    /// <summary>Duplicate messages dropped (same session and sequence number seen before).</summary>
    public long Duplicates { get; private set; }

    /// <summary>Publishes a command for one device (QoS 1); its result arrives on .../cmd/result.</summary>
    public string SendCommand(string device, JsonObject command)
    {
        string id = Guid.NewGuid().ToString("N")[..12];
        command["id"] = id;
        lock (_lock)
        {
            View(device).Pending[id] = (string?)command["action"] ?? "";
        }

        _outbox.Enqueue(FleetTopics.Command(device), command.ToJsonString());
        return id;
    }

    /// <summary>Marks a detection as a false trigger (published so every dashboard sees it).</summary>
    public void Flag(string device, long session, long seq) =>
        _outbox.Enqueue(FleetTopics.Flag(device), new JsonObject { ["device"] = device, ["session"] = session, ["seq"] = seq, ["at"] = DateTimeOffset.UtcNow.ToString("O") }.ToJsonString());

    /// <summary>Unique detections received from a device, per label.</summary>
    public IReadOnlyDictionary<string, long> DetectionCounts(string device)
    {
        lock (_lock)
        {
            return _devices.TryGetValue(device, out DeviceView? d) ? new Dictionary<string, long>(d.PerLabel) : new Dictionary<string, long>();
        }
    }

    /// <summary>
    /// A device's detections per label as its own counters say, over what the broker delivered: the last stats
    /// message minus the first baseline of the same gateway session (the counters when the events began). Equal to
    /// <see cref="DetectionCounts"/> when every detection arrived once. Null before both arrived.
    /// </summary>
    public IReadOnlyDictionary<string, long>? DeviceCountedDetections(string device)
    {
        lock (_lock)
        {
            if (!_devices.TryGetValue(device, out DeviceView? d) || d.Stats is not JsonObject last
                || !d.Baselines.TryGetValue((long?)last["session"] ?? 0, out JsonObject? first))
            {
                return null;
            }

            var counts = new Dictionary<string, long>();
            foreach (var (name, value) in last)
            {
                if (name.StartsWith("detections.", StringComparison.Ordinal))
                {
                    counts[name["detections.".Length..]] = (long?)value - ((long?)first[name] ?? 0) ?? 0;
                }
            }

            return counts;
        }
    }

    /// <summary>The last stats message of a device, or null.</summary>
    public JsonObject? LastStats(string device)
    {
        lock (_lock)
        {
            return _devices.TryGetValue(device, out DeviceView? d) ? d.Stats?.DeepClone().AsObject() : null;
        }
    }

    /// <summary>The last heartbeat of a device, or null.</summary>
    public JsonObject? LastHeartbeat(string device)
    {
        lock (_lock)
        {
            return _devices.TryGetValue(device, out DeviceView? d) ? d.Heartbeat?.DeepClone().AsObject() : null;
        }
    }

    /// <summary>The command results received for a device.</summary>
    public IReadOnlyList<JsonObject> Results(string device)
    {
        lock (_lock)
        {
            return _devices.TryGetValue(device, out DeviceView? d) ? d.Results.Select(r => r.DeepClone().AsObject()).ToList() : [];
        }
    }

    /// <summary>Every unique detection received from a device (label, timeMs), in arrival order.</summary>
    public IReadOnlyList<(string Label, long TimeMs)> Detections(string device)
    {
        lock (_lock)
        {
            return _devices.TryGetValue(device, out DeviceView? d) ? d.All.ToList() : [];
        }
    }

    /// <summary>The device ids seen.</summary>
    public IReadOnlyList<string> DeviceIds
    {
        get
        {
            lock (_lock)
            {
                return _devices.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
            }
        }
    }

    /// <summary>Everything, as the JSON the page polls.</summary>
    public JsonObject Snapshot()
    {
        lock (_lock)
        {
            var devices = new JsonArray();
            foreach (var (id, d) in _devices.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var perLabel = new JsonObject();
                foreach (var (label, n) in d.PerLabel)
                {
                    perLabel[label] = n;
                }

                var overTime = new JsonObject();
                foreach (var (label, buckets) in d.PerBucket)
                {
                    overTime[label] = new JsonArray(buckets.OrderBy(b => b.Key).Select(b => (JsonNode)new JsonArray(b.Key * BucketSeconds, b.Value)).ToArray());
                }

                devices.Add(new JsonObject
                {
                    ["id"] = id,
                    ["heartbeat"] = d.Heartbeat?.DeepClone(),
                    ["stats"] = d.Stats?.DeepClone(),
                    ["detections"] = perLabel,
                    ["detectionsOverTime"] = overTime,
                    ["recent"] = new JsonArray(d.Recent.Select(r => (JsonNode)r.DeepClone()).ToArray()),
                    ["flagged"] = d.Flagged.Count,
                    ["results"] = new JsonArray(d.Results.Select(r => (JsonNode)r.DeepClone()).ToArray()),
                    ["pending"] = new JsonArray(d.Pending.Values.Select(v => (JsonNode)v).ToArray()),
                });
            }

            return new JsonObject
            {
                ["broker"] = Connected ? "connected" : "disconnected", ["duplicates"] = Duplicates, ["bucketSeconds"] = BucketSeconds,
                ["now"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["devices"] = devices,
            };
        }
    }

    private void Receive(string topic, string payload)
    {
        if (FleetTopics.Parse(topic) is not (string device, string kind))
        {
            return;
        }

        JsonObject? message;
        try
        {
            message = JsonNode.Parse(payload) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return;
        }

        if (message == null)
        {
            return;
        }

        lock (_lock)
        {
            DeviceView d = View(device);
            long session = (long?)message["session"] ?? 0, seq = (long?)message["seq"] ?? 0;
            if (kind is "detection" or "stats" or "result" && !d.Seen.Add(session, seq))
            {
                Duplicates++;
                return;
            }

            switch (kind)
            {
                case "heartbeat":
                    if (IsNewer(message, d.Heartbeat))
                    {
                        d.Heartbeat = message;
                    }

                    break;
                case "stats":
                    // After a reconnect the broker may deliver an older stats message (queued, or retained) after a
                    // newer one: keep the latest of the latest session.
                    if (IsNewer(message, d.Stats))
                    {
                        d.Stats = message;
                    }

                    if ((bool?)message["baseline"] == true)
                    {
                        d.Baselines.TryAdd(session, message);
                    }

                    break;
                case "detection":
                    string label = (string?)message["label"] ?? "?";
                    d.PerLabel[label] = d.PerLabel.GetValueOrDefault(label) + 1;
                    long bucket = DateTimeOffset.TryParse((string?)message["at"], out DateTimeOffset at) ? at.ToUnixTimeSeconds() / BucketSeconds : 0;
                    var buckets = d.PerBucket.TryGetValue(label, out var b) ? b : d.PerBucket[label] = new Dictionary<long, long>();
                    buckets[bucket] = buckets.GetValueOrDefault(bucket) + 1;
                    d.All.Add((label, (long?)message["timeMs"] ?? -1));
                    d.Recent.Add(message);
                    if (d.Recent.Count > RecentDetections)
                    {
                        d.Recent.RemoveAt(0);
                    }

                    break;
                case "result":
                    d.Pending.Remove((string?)message["id"] ?? "");
                    d.Results.Add(message);
                    if (d.Results.Count > 20)
                    {
                        d.Results.RemoveAt(0);
                    }

                    break;
                case "flag":
                    d.Flagged.Add((session, seq));
                    foreach (JsonObject r in d.Recent.Where(r => (long?)r["session"] == session && (long?)r["seq"] == seq))
                    {
                        r["flagged"] = true;
                    }

                    break;
            }
        }
    }

    // A later gateway session, or a later message of the same session.
    private static bool IsNewer(JsonObject message, JsonObject? current)
    {
        long session = (long?)message["session"] ?? 0, currentSession = (long?)current?["session"] ?? 0;
        return current == null || session > currentSession || (session == currentSession && ((long?)message["seq"] ?? 0) > ((long?)current["seq"] ?? 0));
    }

    private DeviceView View(string device) => _devices.TryGetValue(device, out DeviceView? d) ? d : _devices[device] = new DeviceView();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _outbox.DisposeAsync();

    private sealed class DeviceView
    {
        public JsonObject? Heartbeat;
        public JsonObject? Stats;
        public readonly SequenceWindow Seen = new();
        public readonly Dictionary<string, long> PerLabel = new();
        public readonly Dictionary<string, Dictionary<long, long>> PerBucket = new();
        public readonly List<JsonObject> Recent = new();
        public readonly HashSet<(long, long)> Flagged = new();
        public readonly List<JsonObject> Results = new();
        public readonly Dictionary<long, JsonObject> Baselines = new();
        public readonly List<(string, long)> All = new();
        public readonly Dictionary<string, string> Pending = new();
    }
}
