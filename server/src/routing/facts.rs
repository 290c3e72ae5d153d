//! What cost-optimized and context-optimized need to know about a model string.

use gateway::providers::{parse_model_string, CustomNode, Registry, Resolution, ResolvedModel};

/// Price and context window of a model string (`provider/model`). `None` means unknown;
/// unknown models go after the known ones, in step order.
pub trait ModelFacts {
    /// A comparable price in USD per 1M tokens (input plus output when both are known).
    fn price(&self, _model: &str) -> Option<f64> {
        None
    }
    /// The context window in tokens.
    fn context_length(&self, _model: &str) -> Option<u64> {
        None
    }
}

/// Knows nothing: cost- and context-optimized fall back to step order.
pub struct NoFacts;

impl ModelFacts for NoFacts {}

/// Facts from two closures (the proxy's price book, tests).
pub struct FnFacts<P, C> {
    pub price: P,
    pub context: C,
}

impl<P, C> ModelFacts for FnFacts<P, C>
where
    P: Fn(&str) -> Option<f64>,
    C: Fn(&str) -> Option<u64>,
{
    fn price(&self, model: &str) -> Option<f64> {
        (self.price)(model)
    }
    fn context_length(&self, model: &str) -> Option<u64> {
        (self.context)(model)
    }
}

/// Facts from the built-in provider registry (seed prices, context windows). For a bare
/// model name listed by several providers, the cheapest price and the largest window.
pub struct RegistryFacts<'a> {
    registry: &'a Registry,
    nodes: &'a [CustomNode],
}

impl<'a> RegistryFacts<'a> {
    pub fn new(nodes: &'a [CustomNode]) -> Self {
        RegistryFacts {
            registry: Registry::builtin(),
            nodes,
        }
    }

    fn resolved(&self, model: &str) -> Vec<ResolvedModel<'a>> {
        match parse_model_string(self.registry, self.nodes, model) {
            Ok(Resolution::Exact(one)) => vec![one],
            Ok(Resolution::Candidates(many)) => many,
            Err(_) => Vec::new(),
        }
    }
}

impl ModelFacts for RegistryFacts<'_> {
    fn price(&self, model: &str) -> Option<f64> {
        self.resolved(model)
            .iter()
            .filter_map(|r| {
                let prices = r.known?.prices;
                match (prices.input, prices.output) {
                    (Some(i), Some(o)) => Some(i + o),
                    (Some(p), None) | (None, Some(p)) => Some(p),
                    (None, None) => None,
                }
            })
            .min_by(f64::total_cmp)
    }

    fn context_length(&self, model: &str) -> Option<u64> {
        self.resolved(model)
            .iter()
            .filter_map(|r| r.known?.context_length.map(u64::from))
            .max()
    }
}
