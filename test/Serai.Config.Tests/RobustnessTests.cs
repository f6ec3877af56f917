using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Serai.Config.Tests;

public class RobustnessTests
{
    private static readonly string[] Lines = File.ReadAllLines(RepoFiles.Hub("central-asia.yaml"));

    [Property(MaxTest = 300)]
    public Property Any_text_gives_a_hub_or_errors_and_never_throws(string? text) =>
        Holds(text ?? "").ToProperty();

    [Property(MaxTest = 1000)]
    public Property Yaml_punctuation_soup_never_throws()
    {
        var characters = Gen.Elements(":-[]{}\"' \n\t#&*!|>%@`,?a1.~".ToCharArray());
        var texts = Gen.ArrayOf(characters).Select(c => new string(c));
        return Prop.ForAll(texts.ToArbitrary(), Holds);
    }

    [Property(MaxTest = 100)]
    public Property Deleting_a_line_of_the_sample_hub_never_throws(PositiveInt line)
    {
        var at = line.Get % Lines.Length;
        return Holds(string.Join('\n', Lines.Where((_, i) => i != at))).ToProperty();
    }

    [Property(MaxTest = 100)]
    public Property Cutting_the_sample_hub_short_never_throws(PositiveInt length)
    {
        var text = string.Join('\n', Lines);
        return Holds(text[..(length.Get % text.Length)]).ToProperty();
    }

    [Property(MaxTest = 100)]
    public Property Replacing_a_value_with_noise_never_throws(PositiveInt line, NonNull<string> noise)
    {
        var at = line.Get % Lines.Length;
        var copy = (string[])Lines.Clone();
        var colon = copy[at].IndexOf(':', StringComparison.Ordinal);
        copy[at] = colon < 0 ? noise.Get : copy[at][..(colon + 1)] + " " + noise.Get;
        return Holds(string.Join('\n', copy)).ToProperty();
    }

    /// <summary>Either a hub and no errors, or no hub and at least one error with a position.</summary>
    [Fact]
    public void Input_that_makes_the_YAML_parser_throw_an_argument_error_is_reported_as_a_syntax_error()
    {
        // Found by Yaml_punctuation_soup_never_throws: YamlDotNet's representation model throws ArgumentException here.
        const string text = "\t:\t~?\".1.:#{\t1@}a:}.* :|`!a:#*";
        var result = HubConfigLoader.Load(text, "fuzz.yaml", Path.GetTempPath());
        Assert.Null(result.Hub);
        Assert.Contains(result.Errors, e => e.Field == "(yaml syntax)");
    }

    private static bool Holds(string text)
    {
        var result = HubConfigLoader.Load(text, "fuzz.yaml", Path.GetTempPath());
        return result.Hub is not null ? result.Errors.Count == 0 : result.Errors.Count > 0 && result.Errors.All(e => e.Line >= 0 && e.Field.Length > 0);
    }
}
