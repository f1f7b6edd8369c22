package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

// completeNamespaces offers the namespaces of the cluster for -n. A cluster that cannot be asked
// offers nothing: file names are never a namespace.
func (o *rootOptions) completeNamespaces(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	cs, err := kube.NewClientset(o.cluster())
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	list, err := cs.CoreV1().Namespaces().List(cmd.Context(), metav1.ListOptions{})
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var names []string
	for _, ns := range list.Items {
		names = append(names, ns.Name)
	}
	return withPrefix(names, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// completeHeadlamps offers the Headlamp Deployments in the namespace: ours, and the official chart's.
func (o *rootOptions) completeHeadlamps(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	cs, err := kube.NewClientset(o.cluster())
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var names []string
	for _, selector := range []string{headlamp.LabelManagedBy + "=" + headlamp.ManagedBy, headlamp.LabelName + "=" + headlamp.AppName} {
		list, err := cs.AppsV1().Deployments(o.namespace()).List(cmd.Context(), metav1.ListOptions{LabelSelector: selector})
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		for _, d := range list.Items {
			names = append(names, d.Name)
		}
	}
	slices.Sort(names)
	return withPrefix(slices.Compact(names), toComplete), cobra.ShellCompDirectiveNoFileComp
}

// withPrefix keeps the names that start with what the user typed.
func withPrefix(names []string, prefix string) []string {
	return slices.DeleteFunc(names, func(n string) bool { return !strings.HasPrefix(n, prefix) })
}
