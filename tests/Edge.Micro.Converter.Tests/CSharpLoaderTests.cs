using Edge.Micro.Converter;
using Edge.Micro.Converter.Emit;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Edge.Micro.Converter.Tests;

/// <summary>The C# loader that convert writes (name.cs) compiles in the app it is added to, whatever its namespace.</summary>
public class CSharpLoaderTests
{
    [Theory]
    [InlineData(CSharpEmitter.DefaultNamespace)]
    [InlineData("Contoso.Doorbell")]
    [InlineData("App")]
    public void Emitted_loader_compiles_beside_the_apps_generated_resources(string appNamespace)
    {
        ConversionResult converted = ModelConverter.Convert(S16Model.Create(seed: 1), "kitchen-door", Edge.Micro.Runtime.Format.EmmFormat.FrontEndMicro);
        string loader = CSharpEmitter.Source(converted.Graph, converted.Emm, "kitchen_door.emm", appNamespace);

        // What nanoFramework's resource generator writes for Resources.resx in the app's root namespace, and the
        // app's own code in another namespace calling the loader.
        string resources = $$"""
            namespace {{appNamespace}}
            {
                internal static class Resources
                {
                    internal enum BinaryResources : short { kitchen_door = 1 }
                    internal static byte[] GetBytes(BinaryResources id) => new byte[] { (byte)id };
                }
            }
            namespace Somewhere.Else
            {
                internal static class Use { internal static int Bytes() => global::{{appNamespace}}.KitchenDoorModel.Load().Length + global::{{appNamespace}}.KitchenDoorModel.ModelBytes; }
            }
            """;
        var options = new CSharpParseOptions(LanguageVersion.CSharp9, preprocessorSymbols: ["NANOFRAMEWORK_1_0"]);
        var compilation = CSharpCompilation.Create("App",
            [CSharpSyntaxTree.ParseText(loader, options), CSharpSyntaxTree.ParseText(resources, options)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n" + loader);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1App")]
    [InlineData("My App")]
    [InlineData("App..Models")]
    public void A_name_that_is_no_namespace_is_refused(string appNamespace)
    {
        ConversionResult converted = ModelConverter.Convert(S16Model.Create(seed: 1), "m");
        Assert.Throws<ArgumentException>(() => CSharpEmitter.Source(converted.Graph, converted.Emm, "m.emm", appNamespace));
    }
}
