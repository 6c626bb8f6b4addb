using System;
using System.Threading;
using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Device;
using Edge.Micro.Esp32.Board;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.Runtime.Storage;

namespace Edge.Micro.Esp32
{
    /// <summary>
    /// The ESP32 wake-word app: thin glue over the portable <see cref="DeviceLoop"/> (the same class the host
    /// simulator runs). Pins and the model are set in <see cref="BoardConfig"/>. Built and deployed with the
    /// nanoFramework toolchain (README, "Running on a board").
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            var platform = new Esp32Platform();
            var shell = new UartShellPort(BoardConfig.ShellUart, BoardConfig.ShellBaud, BoardConfig.ShellTxPin, BoardConfig.ShellRxPin);
            var led = new GpioIndicator(BoardConfig.LedPin);
            var mic = new I2sMicrophone(BoardConfig.I2sBus, BoardConfig.I2sClockPin, BoardConfig.I2sWordSelectPin, BoardConfig.I2sDataPin);

            // The model stays in flash (docs/firmware.md, "Carrying the model"): on the custom image it is the array
            // compiled into the image, which the native kernels run in place; on a stock image it is the app's
            // binary resource, read an op's constants at a time. Only its tables are kept in RAM.
            // On the custom image a model received over the console (update, docs/fleet.md) lives in the store's
            // active slot and runs from there; the image's own model until one was committed.
            Edge.Micro.Interop.FlashModelStore store = BoardConfig.UseNativeKernels ? Edge.Micro.Interop.FlashModelStore.Open() : null;
            int slot = store != null ? store.ActiveSlot : -1;
            Model model = null;
            if (slot >= 0)
            {
                try
                {
                    model = new Model(store.Open(slot));
                }
                catch (ModelException)
                {
                    slot = -1; // a slot that does not load is never run: the image's own model runs instead
                }
            }

            if (model == null)
            {
                model = new Model(BoardConfig.UseNativeKernels
                    ? (IModelReader)Edge.Micro.Interop.FlashModel.Open()
                    : new ResourceModelReader(Resources.ResourceManager, Resources.BinaryResources.model));
            }

            // The native kernels need the custom firmware image and the Edge.Micro.Interop assembly; a stock
            // image runs the managed kernels.
            IKernelSet kernels = BoardConfig.UseNativeKernels ? (IKernelSet)Edge.Micro.Interop.NativeKernels.Instance : ManagedKernels.Instance;
            IFeatureExtractor frontEnd = BoardConfig.UseNativeKernels
                ? (IFeatureExtractor)new Edge.Micro.Interop.NativeMicroFrontend()
                : new MicroFrontend(MicroSpeechFrontendTables.Create());

            var device = new DeviceLoop(model, kernels, frontEnd, BoardConfig.Labels, BoardConfig.IgnoredLabels, mic, led, shell, platform);
            device.Spotter.InferenceEveryFrames = BoardConfig.InferenceEveryFrames;
            device.Store = store; // null on a stock image: the update commands say the device has no store
            device.ModelSlot = slot;
            while (true)
            {
                if (device.Step() == 0)
                {
                    Thread.Sleep(1); // cooperative threads: let the I2S driver and the shell's UART run
                }
            }
        }
    }
}
