using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Micro.Fleet.Mqtt;

/// <summary>
/// Publishes messages to an MQTT broker with QoS 1, in order, through broker restarts: a message leaves the queue only
/// when the broker acknowledged it, a lost connection is retried every second, and while the broker is away the
/// queue holds up to <see cref="Capacity"/> messages; past that the oldest are dropped and counted
/// (<see cref="Dropped"/>), never silently. Subscribers drop the rare duplicate a reconnect causes by its sequence number.
/// </summary>
public sealed class MqttOutbox : IAsyncDisposable
{
    private readonly LinkedList<MqttApplicationMessage> _queue = new();
    private readonly SemaphoreSlim _ready = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly Task _publisher;
    private long _dropped;
    private long _published;
    private volatile bool _sessionReady;

    /// <summary>
    /// Connects (and keeps reconnecting) to <paramref name="host"/>:<paramref name="port"/> as <paramref name="clientId"/>,
    /// with a persistent session; <paramref name="will"/> is the retained message the broker publishes if the connection dies.
    /// </summary>
    public MqttOutbox(string host, int port, string clientId, int capacity, Action<IMqttClient>? configure = null, (string Topic, string Json)? will = null)
    {
        Capacity = capacity;
        _client = new MqttClientFactory().CreateMqttClient();
        configure?.Invoke(_client);
        var builder = new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId(clientId).WithCleanSession(false)
            .WithSessionExpiryInterval(uint.MaxValue).WithKeepAlivePeriod(TimeSpan.FromSeconds(5))
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500);
        if (will is (string willTopic, string willJson))
        {
            builder.WithWillTopic(willTopic).WithWillPayload(Encoding.UTF8.GetBytes(willJson)).WithWillRetain(true).WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        _options = builder.Build();
        _publisher = Task.Run(PublishLoop);
    }

    /// <summary>Messages the queue holds while the broker is away.</summary>
    public int Capacity { get; }

    /// <summary>Messages dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Messages the broker acknowledged.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Messages waiting.</summary>
    public int Pending
    {
        get
        {
            lock (_queue)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// True while connected to the broker, from the moment <see cref="OnConnected"/> has run (so a subscriber's
    /// subscriptions are in place: a message published before them would never reach it).
    /// </summary>
    public bool Connected => _client.IsConnected && _sessionReady;

    /// <summary>The client, for subscriptions (they are renewed on every reconnect through <see cref="Connected"/> handlers).</summary>
    public IMqttClient Client => _client;

    /// <summary>Called after every (re)connection, to subscribe again.</summary>
    public Func<IMqttClient, Task>? OnConnected { get; set; }

    /// <summary>Queues a JSON message for <paramref name="topic"/> (QoS 1; retained if asked).</summary>
    public void Enqueue(string topic, string json, bool retain = false)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(json))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build();
        lock (_queue)
        {
            _queue.AddLast(message);
            while (_queue.Count > Capacity)
            {
                _queue.RemoveFirst();
                Interlocked.Increment(ref _dropped);
            }
        }

        // Wake the publisher; one pending signal is enough (a count per message would grow without bound).
        if (_ready.CurrentCount == 0)
        {
            _ready.Release();
        }
    }

    /// <summary>Waits until every queued message was acknowledged, or the timeout passed; true when the queue is empty.</summary>
    public async Task<bool> FlushAsync(TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Pending > 0 && clock.Elapsed < timeout)
        {
            await Task.Delay(20);
        }

        return Pending == 0;
    }

    private async Task PublishLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    _sessionReady = false;
                    await _client.ConnectAsync(_options, _stop.Token);
                }

                if (!_sessionReady)
                {
                    // Subscriptions after every (re)connection; a failure here is tried again a second later.
                    if (OnConnected != null)
                    {
                        await OnConnected(_client);
                    }

                    _sessionReady = true;
                }

                MqttApplicationMessage? next;
                lock (_queue)
                {
                    next = _queue.First?.Value;
                }

                if (next == null)
                {
                    await _ready.WaitAsync(TimeSpan.FromMilliseconds(200), _stop.Token);
                    continue;
                }

                MqttClientPublishResult result = await _client.PublishAsync(next, _stop.Token);
                if (result.IsSuccess)
                {
                    lock (_queue)
                    {
                        if (_queue.First?.Value == next)
                        {
                            _queue.RemoveFirst();
                        }
                    }

                    Interlocked.Increment(ref _published);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Broker away or connection lost: the message stays queued; try again in a second.
                try
                {
                    await Task.Delay(1000, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await _publisher;
        }
        catch (OperationCanceledException)
        {
        }

        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync();
            }
            catch (Exception)
            {
            }
        }

        _client.Dispose();
    }
}
