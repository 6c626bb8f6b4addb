using System.Text;
using System.Text.Json.Nodes;
using Edge.Micro.Fleet.Mqtt;
using MQTTnet;

namespace Edge.Micro.Fleet.Gateway;

/// <summary>
/// Bridges devices' consoles to an MQTT broker (docs/fleet.md): one <see cref="DeviceBridge"/> thread per device,
/// one <see cref="MqttOutbox"/> for all their messages, and a subscription to the devices' command topics.
/// </summary>
public sealed class FleetGateway : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, DeviceBridge> _bridges = new();
    private readonly List<Thread> _threads = new();

    /// <summary>Starts bridging <paramref name="devices"/> (id -> console port).</summary>
    public FleetGateway(GatewayOptions options, IReadOnlyDictionary<string, string> devices)
    {
        Options = options;
        Outbox = new MqttOutbox(options.BrokerHost, options.BrokerPort, "edge-micro-gateway-" + options.Name, options.QueueCapacity, client =>
            client.ApplicationMessageReceivedAsync += e =>
            {
                OnCommand(e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
                return Task.CompletedTask;
            });
        Outbox.OnConnected = client => client.SubscribeAsync(new MqttClientFactory().CreateSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(FleetTopics.AllCommands).WithAtLeastOnceQoS()).Build());
        foreach (var (id, port) in devices)
        {
            if (!FleetTopics.IsDeviceId(id))
            {
                throw new ArgumentException($"'{id}' is not a device id: letters, digits, '-', '_' and '.', at most 64");
            }

            var bridge = new DeviceBridge(id, port, Outbox, options, _stop.Token);
            _bridges[id] = bridge;
            var thread = new Thread(bridge.Run) { IsBackground = true, Name = "device " + id };
            _threads.Add(thread);
            thread.Start();
        }
    }

    /// <summary>The options in use.</summary>
    public GatewayOptions Options { get; }

    /// <summary>The broker side: queue, published and dropped counts.</summary>
    public MqttOutbox Outbox { get; }

    /// <summary>The devices, by id.</summary>
    public IReadOnlyDictionary<string, DeviceBridge> Devices => _bridges;

    private void OnCommand(string topic, string payload)
    {
        if (FleetTopics.Parse(topic) is not (string device, "cmd") || !_bridges.TryGetValue(device, out DeviceBridge? bridge))
        {
            return;
        }

        try
        {
            if (JsonNode.Parse(payload) is JsonObject command)
            {
                bridge.Enqueue(command);
            }
        }
        catch (System.Text.Json.JsonException)
        {
            Outbox.Enqueue(FleetTopics.CommandResult(device), new JsonObject { ["device"] = device, ["ok"] = false, ["message"] = "the command is not JSON" }.ToJsonString());
        }
    }

    /// <summary>Stops the bridges (each publishes its last stats) and delivers what is queued, for up to 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        foreach (Thread thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(15));
        }

        await Outbox.FlushAsync(TimeSpan.FromSeconds(10));
        await Outbox.DisposeAsync();
    }
}
