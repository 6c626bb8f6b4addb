using System.Collections.Concurrent;
using System.Text;
using Edge.Micro.Fleet.Mqtt;
using MQTTnet;
using Xunit.Abstractions;

namespace Edge.Micro.Fleet.Tests;

/// <summary>
/// The outbox's delivery promise on a real Mosquitto: every message a publisher queues reaches a subscriber with a
/// persistent session, whatever the order in which the two come back after the broker restarts.
/// </summary>
public class MqttOutboxTests(ITestOutputHelper log)
{
    private const string Topic = "edge-micro/test/seq";

    private static MqttOutbox Subscriber(int port, ConcurrentDictionary<int, int> received) =>
        new("127.0.0.1", port, "test-subscriber", capacity: 100, client => client.ApplicationMessageReceivedAsync += e =>
        {
            received.AddOrUpdate(int.Parse(Encoding.UTF8.GetString(e.ApplicationMessage.Payload)), 1, (_, n) => n + 1);
            return Task.CompletedTask;
        })
        {
            OnConnected = client => client.SubscribeAsync(new MqttClientFactory().CreateSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic(Topic).WithAtLeastOnceQoS()).Build()),
        };

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_message_reaches_a_persistent_subscriber_across_a_broker_restart(bool subscriberReturnsLate)
    {
        using var broker = new MosquittoBroker();
        var received = new ConcurrentDictionary<int, int>();
        MqttOutbox subscriber = Subscriber(broker.Port, received);
        await using var publisher = new MqttOutbox("127.0.0.1", broker.Port, "test-publisher", capacity: 100_000);
        await Wait.Until(() => subscriber.Connected && publisher.Connected, TimeSpan.FromSeconds(30), "both connected");

        int sent = 0;
        void Send(int count)
        {
            for (int i = 0; i < count; i++)
            {
                publisher.Enqueue(Topic, (sent++).ToString());
            }
        }

        Send(200);
        await Wait.Until(() => received.Count >= 100, TimeSpan.FromSeconds(30), "the first messages");
        Send(200); // some of these are on their way when the broker stops
        broker.Stop();
        if (subscriberReturnsLate)
        {
            await subscriber.DisposeAsync(); // away until after the publisher has published again
        }

        Send(200);
        broker.Start();
        await Wait.Until(() => publisher.Connected, TimeSpan.FromSeconds(30), "the publisher's reconnection");
        Send(200);
        Assert.True(await publisher.FlushAsync(TimeSpan.FromSeconds(30)), "the publisher's queue did not empty");
        if (subscriberReturnsLate)
        {
            subscriber = Subscriber(broker.Port, received);
        }

        try
        {
            await Wait.Until(() => received.Count == sent, TimeSpan.FromSeconds(30), "every message at the subscriber");
        }
        catch (Xunit.Sdk.XunitException)
        {
            int[] missing = Enumerable.Range(0, sent).Where(i => !received.ContainsKey(i)).ToArray();
            log.WriteLine(broker.Log);
            Assert.Fail($"{missing.Length} of {sent} messages never arrived: {string.Join(",", missing.Take(30))}; published {publisher.Published}, dropped {publisher.Dropped}");
        }
        finally
        {
            await subscriber.DisposeAsync();
        }
    }
}
