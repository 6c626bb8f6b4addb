using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Micro.Fleet.Mqtt;
using Edge.Micro.Host.Fleet;

namespace Edge.Micro.Fleet.Gateway;

/// <summary>
/// One device behind a gateway: its console (serial port or simulator pty) in json mode with detections logged.
/// Each detection becomes a message on <c>.../detection</c>, the device's <c>stats</c> one on <c>.../stats</c> every
/// stats interval, and a heartbeat (model, thresholds, the gateway's queue) on <c>.../heartbeat</c>; commands from
/// <c>.../cmd</c> run between polls and answer on <c>.../cmd/result</c>. Every message carries the gateway session
/// and a per-device sequence number, so subscribers count each exactly once.
/// </summary>
public sealed class DeviceBridge
{
    private readonly MqttOutbox _outbox;
    private readonly GatewayOptions _options;
    private readonly ConcurrentQueue<JsonObject> _commands = new();
    private readonly CancellationToken _stop;
    private long _seq;
    private JsonObject _info = new();
    private JsonObject _thresholds = new();

    /// <summary>A bridge for device <paramref name="id"/> on <paramref name="port"/>; <see cref="Run"/> does the work.</summary>
    public DeviceBridge(string id, string port, MqttOutbox outbox, GatewayOptions options, CancellationToken stop)
    {
        Id = id;
        Port = port;
        _outbox = outbox;
        _options = options;
        _stop = stop;
    }

    /// <summary>The device id (the topic's second part).</summary>
    public string Id { get; }

    /// <summary>The console's port.</summary>
    public string Port { get; }

    /// <summary>Detections forwarded so far.</summary>
    public long Detections { get; private set; }

    /// <summary>Late answers skipped on reconnecting (answers to commands that had timed out), over every connection.</summary>
    public int SkippedLines { get; private set; }

    /// <summary>Times the console could not be opened, closed, or stopped answering (each followed by a new try 2 s later).</summary>
    public int Reconnects { get; private set; }

    /// <summary>Why the console was last lost (null if never).</summary>
    public string? LastError { get; private set; }

    /// <summary>Queues a command received from the broker.</summary>
    public void Enqueue(JsonObject command) => _commands.Enqueue(command);

    /// <summary>Serves the device until stopped, reconnecting to its console when it goes away.</summary>
    public void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            ShellConnection? device = null;
            try
            {
                device = ShellConnection.Open(Port);
                Serve(device);
            }
            catch (Exception e) when (e is IOException or TimeoutException or UnauthorizedAccessException or InvalidOperationException)
            {
                Reconnects++;
                LastError = e.Message;
                if (device != null)
                {
                    // Detections the connection had read but nobody had taken yet: forwarded, not dropped with it.
                    device.Dispose();
                    foreach (string line in device.TakeUnread().Where(ShellConnection.IsEvent))
                    {
                        OnEvent(line);
                    }
                }

                Publish(FleetTopics.Heartbeat(Id), Heartbeat("offline", e.Message), retain: true);
                _stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(2));
            }
            finally
            {
                SkippedLines += device?.SkippedLines ?? 0;
                device?.Dispose();
            }
        }
    }

    private void Serve(ShellConnection device)
    {
        device.EventReceived = line => OnEvent(line);
        Initialize(device);
        var stats = System.Diagnostics.Stopwatch.StartNew();
        var heartbeat = System.Diagnostics.Stopwatch.StartNew();
        while (!_stop.IsCancellationRequested)
        {
            if (device.TryReadLine() is string line && ShellConnection.IsEvent(line))
            {
                OnEvent(line);
            }

            while (_commands.TryDequeue(out JsonObject? command))
            {
                Execute(device, command);
            }

            if (stats.Elapsed >= _options.StatsInterval)
            {
                stats.Restart();
                PublishStats(device);
            }

            if (heartbeat.Elapsed >= _options.HeartbeatInterval)
            {
                heartbeat.Restart();
                Publish(FleetTopics.Heartbeat(Id), Heartbeat("online", null), retain: true);
            }
        }

        PublishStats(device);
    }

    private void Initialize(ShellConnection device)
    {
        Ask(device, "mode json");
        _info = Answer(Ask(device, "info"));
        _thresholds = Answer(Ask(device, "threshold"));
        Publish(FleetTopics.Heartbeat(Id), Heartbeat("online", null), retain: true);

        // "log on" and "stats" in one write act at one instant on the device: this stats message (baseline: true)
        // counts exactly the detections that happened before the events start, so a subscriber can check that
        // every later detection arrived once.
        IReadOnlyList<ShellReply> replies = device.ExchangeAll(["log on", "stats"], _options.AnswerTimeout);
        if (!replies[0].Ok || !replies[1].Ok)
        {
            throw new InvalidOperationException($"the device refused 'log on' or 'stats': {replies[0].Error ?? replies[1].Error}");
        }

        PublishStats(Answer(replies[1]), baseline: true);
    }

    private ShellReply Ask(ShellConnection device, string command)
    {
        ShellReply reply = device.Exchange(command, _options.AnswerTimeout);
        return reply.Ok ? reply : throw new InvalidOperationException($"'{command}' refused: {reply.Error}");
    }

    private static JsonObject Answer(ShellReply reply)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(reply.Lines[^1])!.AsObject();
        }
        catch (JsonException)
        {
            // Thrown as a failed exchange: Run reconnects, and the new connection finds its place again.
            throw new InvalidOperationException($"unreadable answer from the device: {reply.Lines[^1]}");
        }

        json.Remove("ok");
        json.Remove("cmd");
        return json;
    }

    private void OnEvent(string line)
    {
        if (!line.StartsWith('{'))
        {
            return;
        }

        JsonObject e;
        try
        {
            e = JsonNode.Parse(line)!.AsObject();
        }
        catch (Exception x) when (x is JsonException or InvalidOperationException)
        {
            // A garbled line (noise on a real UART) must not end the bridge: say so in the heartbeat's note.
            Publish(FleetTopics.Heartbeat(Id), Heartbeat("online", $"unreadable event line: {line}"), retain: true);
            return;
        }

        if ((string?)e["event"] == "detection")
        {
            Detections++;
            var message = Envelope();
            message["label"] = (string?)e["label"];
            message["score"] = (int?)e["score"];
            message["timeMs"] = (long?)e["timeMs"];
            message["modelCrc"] = (string?)_info["modelCrc"];
            Publish(FleetTopics.Detection(Id), message);
        }
        else
        {
            Publish(FleetTopics.Heartbeat(Id), Heartbeat("online", line), retain: true); // a warning (realtime) as the heartbeat's note
        }
    }

    private void PublishStats(ShellConnection device) => PublishStats(Answer(Ask(device, "stats")), baseline: false);

    private void PublishStats(JsonObject stats, bool baseline)
    {
        JsonObject message = Envelope();
        message["baseline"] = baseline;
        foreach (var (name, value) in stats)
        {
            message[name] = value?.DeepClone();
        }

        message["model"] = (string?)_info["model"];
        message["modelCrc"] = (string?)_info["modelCrc"];
        Publish(FleetTopics.Stats(Id), message, retain: true);
    }

    private void Execute(ShellConnection device, JsonObject command)
    {
        string action = (string?)command["action"] ?? "";
        JsonObject result = Envelope();
        result["id"] = (string?)command["id"];
        result["action"] = action;
        try
        {
            (bool ok, string message) = action switch
            {
                "threshold" => Set(device, $"threshold {(string?)command["label"]} {(int?)command["value"]}"),
                "window" => Set(device, $"window {(int?)command["value"]}"),
                "suppress" => Set(device, $"suppress {(int?)command["value"]}"),
                "reboot" => Reboot(device),
                "push-model" => PushModel(device, Convert.FromBase64String((string?)command["emm"] ?? "")),
                _ => (false, $"unknown action '{action}': threshold, window, suppress, reboot or push-model"),
            };
            result["ok"] = ok;
            result["message"] = message;
        }
        catch (FormatException)
        {
            result["ok"] = false;
            result["message"] = "push-model needs the .emm as base64 in \"emm\"";
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            // The command's sender hears that it failed; then Run reconnects (and the connection finds where the
            // device's answers resume, so the late answer to this command is not taken for another's).
            result["ok"] = false;
            result["message"] = $"the device did not answer: {e.Message}";
            Publish(FleetTopics.CommandResult(Id), result);
            throw;
        }

        try
        {
            _info = Answer(Ask(device, "info"));
            _thresholds = Answer(Ask(device, "threshold"));
        }
        finally
        {
            // Published even when the device stops answering here: the command itself was answered.
            result["model"] = (string?)_info["model"];
            result["modelCrc"] = (string?)_info["modelCrc"];
            Publish(FleetTopics.CommandResult(Id), result);
        }

        Publish(FleetTopics.Heartbeat(Id), Heartbeat("online", null), retain: true);
    }

    private (bool, string) Set(ShellConnection device, string command)
    {
        ShellReply reply = device.Exchange(command, _options.AnswerTimeout);
        return (reply.Ok, reply.Ok ? command : reply.Error ?? "refused");
    }

    private (bool, string) Reboot(ShellConnection device)
    {
        ShellReply reply = device.Exchange("reboot", _options.AnswerTimeout);
        Thread.Sleep(500);
        Initialize(device); // a rebooted device starts in text mode with its log off
        return (reply.Ok, reply.Ok ? "rebooted" : reply.Error ?? "refused");
    }

    private static (bool, string) PushModel(ShellConnection device, byte[] emm)
    {
        try
        {
            PushResult pushed = ModelPusher.Push(device, emm, TimeSpan.FromSeconds(30));
            return (pushed.Switched, pushed.Switched ? pushed.Message : $"the device keeps its model: {pushed.Message}");
        }
        catch (ArgumentException e)
        {
            return (false, $"the device keeps its model: {e.Message}");
        }
    }

    private JsonObject Envelope() => new()
    {
        ["device"] = Id,
        ["session"] = _options.Session,
        ["seq"] = Interlocked.Increment(ref _seq),
        ["at"] = DateTimeOffset.UtcNow.ToString("O"),
    };

    private JsonObject Heartbeat(string state, string? note)
    {
        JsonObject message = Envelope();
        message["state"] = state;
        message["note"] = note;
        foreach (var (name, value) in _info)
        {
            message[name] = value?.DeepClone();
        }

        message["thresholds"] = _thresholds.DeepClone();
        message["gatewayPending"] = _outbox.Pending;
        message["gatewayDropped"] = _outbox.Dropped;
        return message;
    }

    private void Publish(string topic, JsonObject message, bool retain = false) =>
        _outbox.Enqueue(topic, message.ToJsonString(new JsonSerializerOptions { WriteIndented = false }), retain);
}
