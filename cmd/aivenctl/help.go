package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// help prints the help for a topic (no words: aivenctl itself) on stdout.
func (c *cli) help(topic []string) error {
	if len(topic) > 0 && topic[0] == "help" {
		topic = nil
	}
	if len(topic) > 0 && topic[0] != "version" && findNoun(topic[0]) == nil {
		return usagef(nil, "help: unknown command %s%s", shown(topic[0]), suggest(topic[0], commandNames()))
	}
	if n := findNoun(topicWord(topic)); n != nil && len(topic) > 1 && n.findVerb(topic[1]) == nil {
		return usagef(topic[:1], "help: %s: unknown subcommand %s%s", n.name, shown(topic[1]), suggest(topic[1], n.verbNameList()))
	}
	words := 2 // a command and its subcommand
	if topicWord(topic) == "version" {
		words = 1
	}
	if len(topic) > words {
		return usagef(topic[:1], "help: unexpected argument %s", shown(topic[words]))
	}
	_, err := io.WriteString(c.stdout, helpText(topic))
	return err
}

// topicWord is words[0], or "" for no words.
func topicWord(words []string) string {
	if len(words) == 0 {
		return ""
	}
	return words[0]
}

// helpText is the usage of aivenctl (topic empty) or of one command, which
// the first word of topic names.
func helpText(topic []string) string {
	var b strings.Builder
	if len(topic) > 0 && topic[0] == "version" {
		b.WriteString("Usage: aivenctl version [--json]\n\nPrints the version of aivenctl, of Go, and the platform.\n")
		return b.String()
	}
	var n *noun
	if len(topic) > 0 {
		n = findNoun(topic[0])
	}
	if n == nil {
		b.WriteString("Usage: aivenctl [flags] <command> [flags]\n\n")
		b.WriteString("aivenctl reads an Aiven account through the Aiven API.\n\n")
		b.WriteString("Commands:\n")
		for _, n := range nouns {
			for _, v := range n.verbs {
				fmt.Fprintf(&b, "  %-15s %s (%s)\n", n.name+" "+v.name, v.summary, v.op)
				if v.withProject != nil {
					pv := v.withProject("NAME")
					fmt.Fprintf(&b, "  %s NAME\n  %-15s %s (%s)\n", n.name+" "+pv.name, "", pv.summary, pv.op)
				}
			}
		}
		fmt.Fprintf(&b, "  %-15s %s\n", "version", "the version of aivenctl")
		fmt.Fprintf(&b, "  %-15s %s\n", "help [command]", "help for aivenctl or for one command")
	} else {
		for _, v := range n.verbs {
			fmt.Fprintf(&b, "Usage: aivenctl %s %s [flags]\n\n", n.name, v.name)
			fmt.Fprintf(&b, "Prints %s (%s).\n%s", v.summary, v.op, v.details)
		}
	}
	b.WriteString("\nFlags, before or after the command:\n")
	b.WriteString(flagHelp())
	if n == nil {
		b.WriteString("\nThe token comes from --token-file, AIVEN_TOKEN, AIVEN_AUTH_TOKEN, MST_API_TOKEN,\n" +
			"or the credentials file of `avn user login`. The manual:\n" +
			"go doc github.com/aivenapi/aivenapi/cmd/aivenctl\n")
	}
	return b.String()
}

// flagHelp lists the flags from their definitions, so that the help and
// the parser never disagree.
func flagHelp() string {
	var b strings.Builder
	fs := newFlagSet(&options{})
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name == "h" || f.Name == "help" {
			return
		}
		arg, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if arg != "" {
			name += " " + arg
		}
		fmt.Fprintf(&b, "  %-24s %s\n", name, usage)
	})
	fmt.Fprintf(&b, "  %-24s %s\n", "-h, --help", "show help")
	return b.String()
}
