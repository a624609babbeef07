//! Effective classification: what flows in through `stored_on` and `copy_of`.
//!
//! Levels flow along the *flow graph*: information → the system it is stored
//! on (`stored_on`, in the link's direction), and original → copy (`copy_of`,
//! against the link's direction). In-scope assets in use pass levels to each
//! other; an excluded asset (§4(2) proviso) still passes its level to an
//! in-scope system in use that stores it (GUIDELINE-NOTES §1.3: a medium takes
//! the highest class it holds); a disposed asset receives what was stored on
//! or copied into it (its disposal is judged at that level) but passes nothing
//! on to assets in use.
//!
//! An asset's own confidentiality is the higher of its declared level and
//! the floor its personal data sets (the policy's `floors`), so what holds
//! personal data is raised as if it were declared at the floor.
//!
//! For each channel (the three axes, and 特定個人情報 as a 0/1 "level"):
//!
//! 1. Effective values by a breadth-first search per level, highest first:
//!    every asset whose own level is `r` and that has no value yet seeds the
//!    search, which gives `r` to everything it reaches that has none. Each
//!    asset gets a value once, so cycles cannot loop; the value is the highest
//!    own level of any asset that reaches it, whatever the order.
//! 2. Explaining paths by a second search per level from the *origins*: the
//!    assets whose own level is their effective one and whose in-flowing level
//!    is lower. Assets of that level left unreached lie on cycles without an
//!    origin; the first of them (by id) becomes a root. The parent links form
//!    a forest, so following them always ends.

use crate::model::Relation;
use crate::policy::Axis;
use crate::rules::snapshot::{DISPOSED, Edge, MY_NUMBER, NONE, Snapshot};

/// The flow graph as adjacency arrays: for each asset, the assets its levels
/// flow to, each with the index of the link that carries them.
#[derive(Debug)]
pub(crate) struct Flow {
    start: Vec<u32>,
    targets: Vec<(u32, u32)>,
}

impl Flow {
    pub(crate) fn build(snapshot: &Snapshot) -> Flow {
        let n = snapshot.nodes.len();
        let flows = |e: &Edge| -> Option<(u32, u32)> {
            let (src, dst) = match e.relation {
                Relation::StoredOn => (e.from, e.to),
                Relation::CopyOf => (e.to, e.from),
                _ => return None,
            };
            flows_along(snapshot, e.relation, src, dst).then_some((src, dst))
        };
        let mut start = vec![0u32; n + 1];
        for edge in &snapshot.edges {
            if let Some((src, _)) = flows(edge) {
                start[src as usize + 1] += 1;
            }
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut targets = vec![(0u32, 0u32); start[n] as usize];
        for (index, edge) in snapshot.edges.iter().enumerate() {
            if let Some((src, dst)) = flows(edge) {
                let at = &mut fill[src as usize];
                targets[*at as usize] = (dst, index as u32);
                *at += 1;
            }
        }
        Flow { start, targets }
    }

    pub(crate) fn out(&self, node: u32) -> &[(u32, u32)] {
        let from = self.start[node as usize] as usize;
        let to = self.start[node as usize + 1] as usize;
        &self.targets[from..to]
    }

    fn len(&self) -> usize {
        self.start.len() - 1
    }
}

/// Effective values and explaining parents for the four channels.
#[derive(Debug)]
pub(crate) struct Inheritance {
    pub(crate) flow: Flow,
    /// Effective rank per axis (C, I, A), then 特定個人情報 (0 or 1).
    pub(crate) effective: [Vec<u8>; 4],
    /// The link that brought the effective value, or [`NONE`].
    pub(crate) parent: [Vec<u32>; 4],
    /// The asset where the effective value originates.
    pub(crate) origin: [Vec<u32>; 4],
    /// How many links lie between the origin and the asset.
    pub(crate) depth: [Vec<u32>; 4],
}

/// The channel of 特定個人情報.
pub(crate) const MY_NUMBER_CHANNEL: usize = 3;

/// True when a level flows from `src` to `dst` along a link: between
/// in-scope assets in use; from an excluded asset not disposed of to the
/// in-scope system in use that stores it; into a disposed in-scope asset from
/// an in-scope one.
fn flows_along(snapshot: &Snapshot, relation: Relation, src: u32, dst: u32) -> bool {
    let (s, d) = (&snapshot.nodes[src as usize], &snapshot.nodes[dst as usize]);
    if d.is_active() {
        s.is_active() || (relation == Relation::StoredOn && s.exclusion != 0 && !s.has(DISPOSED))
    } else {
        d.exclusion == 0 && s.exclusion == 0 && d.has(DISPOSED)
    }
}

impl Inheritance {
    pub(crate) fn compute(snapshot: &Snapshot) -> Inheritance {
        let flow = Flow::build(snapshot);
        // Who takes part: every asset but those both excluded and disposed of.
        let active: Vec<bool> = snapshot
            .nodes
            .iter()
            .map(|n| n.exclusion == 0 || !n.has(DISPOSED))
            .collect();
        let channel = |c: usize| {
            let own: Vec<u8> = snapshot
                .nodes
                .iter()
                .map(|n| {
                    if c == MY_NUMBER_CHANNEL {
                        u8::from(n.has(MY_NUMBER))
                    } else if c == 0 {
                        n.ranks[0].max(n.floor)
                    } else {
                        n.ranks[c]
                    }
                })
                .collect();
            // The lowest level needs no explaining; 0 is "no 特定個人情報".
            let floor = if c == MY_NUMBER_CHANNEL {
                0
            } else {
                snapshot.policy.lowest(Axis::ALL[c]).rank()
            };
            propagate(&flow, &own, &active, floor)
        };
        let (c, i, a, m) = std::thread::scope(|scope| {
            let c = scope.spawn(|| channel(0));
            let i = scope.spawn(|| channel(1));
            let a = scope.spawn(|| channel(2));
            let m = channel(MY_NUMBER_CHANNEL);
            (
                c.join().unwrap_or_else(|_| channel(0)),
                i.join().unwrap_or_else(|_| channel(1)),
                a.join().unwrap_or_else(|_| channel(2)),
                m,
            )
        });
        Inheritance {
            flow,
            effective: [c.effective, i.effective, a.effective, m.effective],
            parent: [c.parent, i.parent, a.parent, m.parent],
            origin: [c.origin, i.origin, a.origin, m.origin],
            depth: [c.depth, i.depth, a.depth, m.depth],
        }
    }

    /// The effective ranks of `node` on C, I and A.
    pub(crate) fn effective_ranks(&self, node: u32) -> [u8; 3] {
        let v = node as usize;
        [
            self.effective[0][v],
            self.effective[1][v],
            self.effective[2][v],
        ]
    }

    /// The links from the origin to `node` on a channel, origin first.
    pub(crate) fn path(&self, channel: usize, node: u32, snapshot: &Snapshot) -> Vec<u32> {
        let mut links = Vec::new();
        let mut at = node;
        // The parents form a forest; the bound only guards against a bug.
        for _ in 0..=snapshot.nodes.len() {
            let link = self.parent[channel][at as usize];
            if link == NONE {
                break;
            }
            links.push(link);
            let edge = snapshot.edges[link as usize];
            at = if edge.relation == Relation::CopyOf {
                edge.to
            } else {
                edge.from
            };
        }
        links.reverse();
        links
    }

    /// The asset where a path starts (the node itself for an empty path).
    pub(crate) fn origin(&self, channel: usize, node: u32) -> u32 {
        self.origin[channel][node as usize]
    }

    /// The highest effective value that flows into `node` (0 when nothing does).
    pub(crate) fn inherited(&self, channel: usize, node: u32, snapshot: &Snapshot) -> u8 {
        let mut best = 0;
        for edge in &snapshot.edges {
            let src = match edge.relation {
                Relation::StoredOn if edge.to == node => edge.from,
                Relation::CopyOf if edge.from == node => edge.to,
                _ => continue,
            };
            if flows_along(snapshot, edge.relation, src, node) {
                best = best.max(self.effective[channel][src as usize]);
            }
        }
        best
    }
}

/// The result of one channel.
struct Channel {
    effective: Vec<u8>,
    parent: Vec<u32>,
    origin: Vec<u32>,
    depth: Vec<u32>,
}

/// One channel: effective values, then explaining parents.
fn propagate(flow: &Flow, own: &[u8], active: &[bool], floor: u8) -> Channel {
    let n = flow.len();
    let mut ranks: Vec<u8> = own
        .iter()
        .zip(active)
        .filter(|(_, a)| **a)
        .map(|(r, _)| *r)
        .filter(|r| *r > floor)
        .collect();
    ranks.sort_unstable_by(|a, b| b.cmp(a));
    ranks.dedup();

    // 1. Effective values; 0 marks "none yet" (ranks start at 1).
    let mut effective = vec![0u8; n];
    let mut queue: Vec<u32> = Vec::new();
    for &r in &ranks {
        queue.clear();
        for v in 0..n {
            if active[v] && effective[v] == 0 && own[v] == r {
                effective[v] = r;
                queue.push(v as u32);
            }
        }
        let mut head = 0;
        while let Some(&u) = queue.get(head) {
            head += 1;
            for &(w, _) in flow.out(u) {
                if effective[w as usize] == 0 {
                    effective[w as usize] = r;
                    queue.push(w);
                }
            }
        }
    }
    for v in 0..n {
        if effective[v] == 0 {
            effective[v] = own[v];
        }
    }

    // What flows in, to tell origins from assets that merely repeat a level.
    let mut inflow = vec![0u8; n];
    for (u, &value) in effective.iter().enumerate() {
        for &(w, _) in flow.out(u as u32) {
            let slot = &mut inflow[w as usize];
            *slot = (*slot).max(value);
        }
    }

    // 2. Parents, from the origins of each level.
    let mut parent = vec![NONE; n];
    let mut origin: Vec<u32> = (0..n as u32).collect();
    let mut depth = vec![0u32; n];
    let mut visited = vec![false; n];
    for &r in &ranks {
        queue.clear();
        for v in 0..n {
            if active[v] && effective[v] == r && own[v] == r && inflow[v] < r {
                visited[v] = true;
                queue.push(v as u32);
            }
        }
        let mut head = 0;
        let mut next_root = 0;
        loop {
            while let Some(&u) = queue.get(head) {
                head += 1;
                for &(w, link) in flow.out(u) {
                    let wi = w as usize;
                    if !visited[wi] && effective[wi] == r {
                        visited[wi] = true;
                        parent[wi] = link;
                        origin[wi] = origin[u as usize];
                        depth[wi] = depth[u as usize] + 1;
                        queue.push(w);
                    }
                }
            }
            // Cycles without an origin: the first unreached asset of the level is a root.
            while next_root < n
                && !(active[next_root]
                    && !visited[next_root]
                    && effective[next_root] == r
                    && own[next_root] == r)
            {
                next_root += 1;
            }
            if next_root == n {
                break;
            }
            visited[next_root] = true;
            queue.push(next_root as u32);
        }
    }
    Channel {
        effective,
        parent,
        origin,
        depth,
    }
}

/// The sets of assets joined in a cycle of the flow graph (each with more
/// than one asset), members and sets ordered by index. Tarjan's algorithm,
/// iterative so that long chains cannot overflow the stack.
pub(crate) fn cycles(flow: &Flow) -> Vec<Vec<u32>> {
    let n = flow.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut calls: Vec<(u32, usize)> = Vec::new();
    let mut next = 0u32;
    let mut found = Vec::new();
    for root in 0..n as u32 {
        if index[root as usize] != NONE || flow.out(root).is_empty() {
            continue;
        }
        calls.push((root, 0));
        index[root as usize] = next;
        low[root as usize] = next;
        next += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        while let Some(&mut (v, ref mut at)) = calls.last_mut() {
            let out = flow.out(v);
            if let Some(&(w, _)) = out.get(*at) {
                *at += 1;
                let wi = w as usize;
                if index[wi] == NONE {
                    index[wi] = next;
                    low[wi] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[wi] = true;
                    calls.push((w, 0));
                } else if on_stack[wi] {
                    low[v as usize] = low[v as usize].min(index[wi]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent as usize] = low[parent as usize].min(low[v as usize]);
            }
            if low[v as usize] == index[v as usize] {
                let mut members = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w as usize] = false;
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                if members.len() > 1 {
                    members.sort_unstable();
                    found.push(members);
                }
            }
        }
    }
    found.sort_unstable();
    found
}
