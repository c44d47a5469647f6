package io.greenbridge.routes;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.model.CatchDefinition;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.FinallyDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.OutputNode;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.TryDefinition;

/** The step ids of a loaded route, depth first (a doTry: its steps, then each doCatch, then doFinally), each with the ids of the steps that enclose it. */
public final class RouteModel {
    public record Step(String id, List<String> enclosing, OptionalIdentifiedDefinition<?> definition) {
    }

    private RouteModel() {
    }

    public static RouteDefinition route(CamelContext context, String routeId) {
        RouteDefinition route = context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinition(routeId);
        if (route == null) {
            throw new AssertionError("no route " + routeId);
        }
        return route;
    }

    public static List<Step> steps(CamelContext context, String routeId) {
        List<Step> out = new ArrayList<>();
        walk(route(context, routeId).getOutputs(), new ArrayList<>(), out);
        return out;
    }

    public static List<String> ids(CamelContext context, String routeId) {
        return steps(context, routeId).stream().map(Step::id).toList();
    }

    public static Step step(CamelContext context, String routeId, String id) {
        return steps(context, routeId).stream().filter(s -> id.equals(s.id())).findFirst()
                .orElseThrow(() -> new AssertionError("route " + routeId + " has no step " + id));
    }

    private static void walk(List<?> nodes, List<String> path, List<Step> out) {
        for (Object node : nodes) {
            OptionalIdentifiedDefinition<?> d = (OptionalIdentifiedDefinition<?>) node;
            out.add(new Step(d.getId(), List.copyOf(path), d));
            List<String> inner = new ArrayList<>(path);
            inner.add(d.getId());
            if (d instanceof TryDefinition attempt) {
                List<Object> parts = new ArrayList<>(attempt.getOutputs().stream()
                        .filter(o -> !(o instanceof CatchDefinition) && !(o instanceof FinallyDefinition)).toList());
                parts.addAll(attempt.getCatchClauses());
                if (attempt.getFinallyClause() != null) {
                    parts.add(attempt.getFinallyClause());
                }
                walk(parts, inner, out);
            } else if (d instanceof ChoiceDefinition choice) {
                List<Object> branches = new ArrayList<>(choice.getWhenClauses());
                if (choice.getOtherwise() != null) {
                    branches.add(choice.getOtherwise());
                }
                walk(branches, inner, out);
            } else if (d instanceof OutputNode output) {
                walk(output.getOutputs(), inner, out);
            } else if (d instanceof org.apache.camel.model.ProcessorDefinition<?> p) {
                walk(p.getOutputs(), inner, out);
            }
        }
    }
}
