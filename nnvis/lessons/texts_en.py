"""English lesson titles and texts: {lesson id: (title, HTML)}.

Each text says what to look at (which panel), what to change (which control, to what) and
why (the argument of the notes). Panels, buttons and controls are named by id, ``[[id]]``
(nnvis/app/ui_labels.py), and filled in by the app from the labels it shows, in its language.
The numbers quoted are the ones the lesson tests measure (tests/lessons/test_lessons.py).
"""

TEXTS = {
    "default": (
        "Start here: a spiral, three tanh layers",
        """
<p>Two interleaved spirals; the network has to learn which arm each point belongs to.
Press <b>▶ [[toolbar.play]]</b> (or <b>[[toolbar.step]]</b> for one update at a time) and watch:</p>
<ul>
<li><b>[[panel.data]]</b>: the coloured background is the network's answer for every
point of the plane. It bends until it follows the spirals.</li>
<li><b>[[panel.loss]]</b>: the loss falls, on the training points and on held-out test
points.</li>
<li><b>[[panel.topology]]</b>: each circle is a neuron, each line a weight (colour = sign, thickness =
size).</li>
</ul>
<p><b>Why it works</b>: each neuron adds up its inputs times its weights, adds a bias and
passes the result through a non-linear <i>activation function</i> (here tanh).
Without the non-linearity, stacked layers would collapse into one linear function and
could only ever draw a straight line.</p>
<p>Now press <b>[[variant:0]]</b> (under <i>[[lessons.also_try]]</i>, below this text): the
network becomes a single linear map, the boundary a straight line, and the accuracy stays
near 60 %.</p>
<p>Then pick a lesson from the list: each one sets up an experiment, tells you which
panel to watch and which single switch to flip. Under its text, <b>[[lessons.flip]]</b>
applies that change to the running network, <b>[[lessons.compare]]</b> trains a copy with
the switch flipped next to the original (same data, seed and batches), and the
<b>[[lessons.also_try]]</b> buttons apply the other changes the lesson suggests.</p>
""",
    ),

    "backprop": (
        "Backpropagation, gate by gate",
        """
<p>Backpropagation is the chain rule, applied one gate at a time: every gate knows its
<i>local</i> gradient (how its output moves with each input) and multiplies it by the
gradient arriving from above, ∂L/∂output. The <b>[[panel.backprop]]</b> panel (next to
<b>[[panel.activation]]</b>) draws the computation graph and lets you walk it. Use the three buttons
under this text, in order.</p>
<p><b>[[view:0]]</b>, the notes' example with x = −2, y = 5, z = −4. Press
<b>[[backprop.forward]]</b>: each wire gets its value in green, q = x + y = 3 and f = q·z = −12. Now
press <b>[[backprop.step]]</b> once per gate. The walk starts at the output with ∂f/∂f = 1.
The multiply gate <i>swaps its inputs</i>: ∂f/∂z = q = 3 and ∂f/∂q = z = −4. The add
gate passes the gradient unchanged to both inputs: ∂f/∂x = ∂f/∂y = −4. The gradients are
written in red under the wires. Edit x, y or z: every number follows.</p>
<p><b>[[view:1]]</b> f = σ(w0·x0 + w1·x1 + w2) with w = (2, −3, −3) and
x = (−1, −2): the sum is 1 and f = σ(1) = 0.73. The sigmoid gate's local gradient is
σ(1 − σ) = 0.73 × 0.27 = 0.2; the add gates pass 0.2 on, and the multiply gates swap:
∂f/∂x0 = w0 × 0.2 = 0.39, ∂f/∂w0 = x0 × 0.2 = −0.2.</p>
<p><b>[[view:2]]</b>: this lesson loaded the 8-layer sigmoid network of
the vanishing-gradients lesson. Pick a sample (the spin box, or click a point in
<b>[[panel.data]]</b>), press <b>[[backprop.forward]]</b> to take the trainer's current weights,
then <b>[[backprop.play]]</b>. Each layer is a matmul x·W, a bias add +b and a σ gate. At every
σ gate the rule line shows “× f′(z)”: since σ′ ≤ 0.25, ‖∂L/∂a‖ comes out about 4× smaller
(4.0–4.4× here), layer after layer. At the end the panel lists ‖∂L/∂W‖ per layer: the
first layer's is about 10⁻⁵ of the last hidden layer's. Hover a unit in the
<b>[[panel.topology]]</b> panel to follow that unit's numbers through its layer; the table below the
graph lists every unit of the node you click.</p>
<p><b>Change</b>: press <b>[[flip]]</b>, then <b>[[backprop.forward]]</b> again.
ReLU is a max gate, max(0, z): it routes the gradient to z where z &gt; 0 and stops it
where z ≤ 0, so live units pass it on at full strength and the first layer now gets a
few tenths of the last one's gradient. The same story across the whole batch, during
training: the <a href="lesson:vanishing-gradients">vanishing-gradients lesson</a>.</p>
""",
    ),

    "vanishing-gradients": (
        "Vanishing gradients: 8 sigmoid layers",
        """
<p><b>Look at</b> the <b>[[panel.gradient_flow]]</b> panel before you train. Every layer, from the
first hidden layer <code>[[layer:hidden1]]</code> (next to the input, on the left) to the output
<code>[[layer:output]]</code> (right), has three bars on a log scale: ‖∂L/∂a‖, the gradient arriving at
the layer's output; ‖∂L/∂W‖, the gradient of its weights — how hard training pushes them;
and the size of the last update. With 8 sigmoid layers the ‖∂L/∂a‖ and ‖∂L/∂W‖ bars fall
off a cliff toward the input: each layer's ‖∂L/∂a‖ bar is about 4–5× shorter than the one
to its right, and at step 0, before you press [[toolbar.play]], the first layer's ‖∂L/∂W‖ is only
about 4·10⁻⁶ of the last hidden layer's. Once training runs the ratio moves around,
between about 10⁻⁵ and 10⁻³, but never comes near 1. The line above the plot says it in words: “[[gradient_flow.vanish]]”. Press
<b>▶ [[toolbar.play]]</b>: the loss in <b>[[panel.loss]]</b> stays at 0.69 and the accuracy at
chance (≈ 50 %).</p>
<p><b>What vanished, where and why.</b> What vanished is the gradient — ‖∂L/∂a‖ and
‖∂L/∂W‖ — of the <i>early</i> layers, the ones nearest the input. Backpropagation carries
the gradient from the loss back toward the input, and at every layer it multiplies it by
the slope of the activation, σ′(z) = σ(z)(1 − σ(z)). That slope is never more than 0.25
(its value at z = 0) and almost 0 when a unit saturates. Between the last hidden layer and
the first the gradient passes through 7 more sigmoids, so unless the weights make up for it
(these do not) it shrinks at least 4× per layer, 4⁷ ≈ 16,000× in all. With almost no
gradient the first layers' weights hardly change: they stay random, and every layer after
them has nothing useful to build on.</p>
<p><b>Change</b>: press <b>[[flip]]</b> under this text (or, in
<b>[[panel.controls]]</b>, set <b>[[controls.activation]]</b> to <code>[[choice:relu]]</code> and <b>[[controls.init]]</b> to
<code>[[choice:he]]</code>, then <b>[[controls.apply]]</b>). The bars level out: first/last ≈ 0.2,
and the network learns the circle. The <b>[[panel.topology]]</b> panel now marks about one
hidden unit in seven as <i>[[topology.dead]]</i> (16 % at the start, 9–16 % while it
trains): from layer 2 on, a unit's inputs are ReLU outputs, all ≥ 0, and a unit whose
weights add them up to z &lt; 0 for every point never fires, so it passes no gradient. With
only 16 units per layer He init deals out a few such units by chance; the others carry the
gradient. (<code>[[choice:leaky_relu]]</code> + He has none: its slope is never 0.)
<b>[[lessons.compare]]</b> trains both networks at once and draws the other one's
‖∂L/∂W‖ as white outlines over the bars. The <b>[[lessons.also_try]]</b> buttons each set activation,
init, batch norm and residual together, so you can try them in any order:</p>
<ul>
<li><b>[[variant:0]]</b>: ratio ≈ 0.5;</li>
<li><b>[[variant:1]]</b> (<b>[[controls.batch_norm]]</b> in [[panel.controls]]): ratio ≈ 2;</li>
<li><b>[[variant:2]]</b> (<b>[[controls.residual]]</b> in [[panel.controls]]):
‖∂L/∂a‖ is now about the same in every layer (first/last ≈ 1.1).</li>
</ul>
<p><b>Why the fixes work</b>: each one stops the shrinking from compounding.</p>
<ul>
<li><b>[[choice:relu]]</b>: its slope is exactly 1 wherever the unit is active (z &gt; 0), so the
gradient is passed back at full size; He init (weight variance 2/n) makes up for the half
of the units that are inactive, so the signal keeps its size from layer to layer.</li>
<li><b>[[choice:tanh]]</b>: its slope at z = 0 is 1, four times the sigmoid's best, and with Xavier
init the units stay close to that region.</li>
<li><b>[[controls.batch_norm]]</b> re-standardises every layer's pre-activations over the mini-batch. On
the way back it divides the gradient by the same batch standard deviation, so where the
sigmoids had squeezed the signal the gradient is scaled back up. It also keeps the sigmoid
inputs away from the flat, saturated tails.</li>
<li><b>Residual connection</b> h = f(x) + x: a layer adds a correction to its input, so
∂h/∂x = ∂f/∂x + 1. The “+ 1” is a path on which the gradient goes back without being
multiplied by any sigmoid slope, so it reaches the early layers undiminished. (The first
layer's ‖∂L/∂W‖ bar stays lower: that layer has no skip, because its 2 inputs do not match
its 16 units.)</li>
</ul>
""",
    ),

    "batchnorm-rescue": (
        "Batch norm rescues a deep sigmoid network",
        """
<p><b>Look at</b> <b>[[panel.data]]</b> and <b>[[panel.loss]]</b>. This is the
8-layer sigmoid network of the previous lesson on the <i>[[choice:circle]]</i> data, trained with
plain SGD. Press <b>▶ [[toolbar.play]]</b>: for thousands of steps the accuracy stays at chance
(≈ 50 %) and the whole plane keeps one colour.</p>
<p><b>Change</b>: tick <b>[[controls.batch_norm]]</b> in <b>[[panel.controls]]</b> (it applies live and keeps the
weights). Within a few hundred steps the circle appears; after 2,000 steps the accuracy
is ≈ 99 %. The <b>[[panel.gradient_flow]]</b> bars level out at the same moment.</p>
<p><b>Why</b>: batch normalisation standardises each neuron's pre-activation over the
mini-batch (mean 0, variance 1). The sigmoid's inputs therefore stay near 0, where its
slope is largest (0.25), instead of drifting into the flat, saturated tails. But pinned
there, every sigmoid would work only on its nearly linear middle, and a nearly linear
network can express little. So each neuron also learns two numbers, γ and β, that rescale
and shift the standardised value (γ·ẑ + β): the network can undo the normalisation where
that works better (γ = the batch's standard deviation and β = its mean give back the
original pre-activation), as the notes say. And on the way back
the gradient is divided by the same batch standard deviation: a layer whose inputs the
sigmoids had squeezed gets its gradient scaled back up, so the factors of at most 0.25 no
longer compound over 8 layers. When a model is used on new points there may be no batch to
average over, so it uses the running averages of the batch means and variances collected
during training instead.</p>
""",
    ),

    "residual": (
        "Residual connections: deeper without getting worse",
        """
<p><b>Look at</b> <b>[[panel.loss]]</b> and <b>[[panel.gradient_flow]]</b>. Once more the
8-layer sigmoid network of the vanishing-gradient lesson, on the <i>[[choice:circle]]</i> data with
plain SGD. Press <b>▶ [[toolbar.play]]</b>: after 2,000 steps it is still at chance (≈ 50 %) — on the
training points, too. Now press <b>[[variant:0]]</b> (under <i>[[lessons.also_try]]</i>; it
rebuilds the network) and play again: the same 16 sigmoid units in a single layer learn the circle
(≈ 100 %) within a few hundred steps. Adding layers made the network <i>worse</i>, even on
the data it trains on. That is not overfitting; it is the <i>degradation</i> problem that
residual networks (ResNet) were invented to solve.</p>
<p><b>Change</b>: press <b>[[flip]]</b> (it brings back the
8 layers and ticks <b>[[controls.residual]]</b> in <b>[[panel.controls]]</b>; on the 8-layer
network it applies live and keeps the weights). Within about 500 steps the circle appears
and the accuracy reaches ≈ 100 %. In <b>[[panel.gradient_flow]]</b> the ‖∂L/∂a‖ bars are now level:
first/last ≈ 1.1 instead of ≈ 3·10⁻⁵.</p>
<p><b>Why</b>: a residual layer outputs h = f(x) + x, its input plus a correction f(x). It
only has to learn the difference h − x (the <i>residual</i>), and leaving its input almost
unchanged is easy, so extra layers need not make the network worse than a shallower one.
On the way back, ∂h/∂x = ∂f/∂x + 1: besides the path through the sigmoid, which multiplies
the gradient by at most 0.25, there is a shortcut that hands the gradient straight to the
layer below. The early layers get a full-sized gradient and learn. (The first layer has
no shortcut, because its 2 inputs do not match its 16 units; its ‖∂L/∂W‖ bar stays lower,
but the layers above it carry the fix.)</p>
""",
    ),

    "init-scale": (
        "Weight initialisation: too small, too large, just right",
        """
<p><b>Look at</b> the <b>[[panel.histograms]]</b> panel before you train: pick a layer
in its <b>[[histograms.layer]]</b> menu and look at the <b>[[histograms.activations_now]]</b> histogram (in a narrow
panel, switch its first column to <i>[[histograms.activations]]</i>); the line above the plots gives the
layer's <i>[[histograms.act_std]]</i>. The <b>[[panel.activation]]</b> panel shows every layer's
pre-activations under the tanh curve. The network has ten tanh layers of 500 units and
Gaussian inputs; its weights are drawn from a normal distribution whose standard deviation
is <b>[[controls.init_scale]]</b>.</p>
<ul>
<li><b>[[controls.init_scale]] 0.01</b> (this preset): every layer shrinks the signal about 5×. The
spread (standard deviation) of the activations falls from 0.01 in layer 1 to ~10⁻⁸ in
layer 10: the histograms collapse onto 0, and the gradients with them.</li>
<li><b>[[controls.init_scale]] 1.0</b>: the weighted sums are huge and from layer 2 on ~90 % of the
tanh units sit at −1 or +1 — <i>saturated</i>, where the slope is ~0 and no gradient passes.</li>
<li><b>[[controls.init]]</b> → <code>[[choice:xavier]]</code>: the spread stays about the same in every layer.</li>
</ul>
<p><b>Change</b> in <b>[[panel.controls]]</b>: set <b>[[controls.init_scale]]</b> to 1.0 ([[controls.init]] stays
<code>[[choice:normal]]</code>), then set <b>[[controls.init]]</b> to <code>[[choice:xavier]]</code>; press
<b>[[controls.apply]]</b> after each. The buttons under this text do the same in one click:
<b>[[variant:0]]</b> and <b>[[flip]]</b>.</p>
<p><b>Why</b>: a unit adds up n inputs times n weights. If inputs and weights are
independent with variances v and s², the sum has variance n·s²·v. With n = 500 and
s = 0.01 each layer multiplies the variance by 0.05 (the spread by 0.22): ten layers leave
nothing. With s = 1 it multiplies it by 500 and tanh saturates. Xavier initialisation
picks s² = 2/(n<sub>in</sub> + n<sub>out</sub>) (= 1/n for equal widths), so n·s² ≈ 1 and
the spread is kept. For ReLU, which zeroes half of its inputs, He initialisation uses
s² = 2/n<sub>in</sub>.</p>
""",
    ),

    "dead-relu": (
        "Dying ReLUs: a learning rate that is too high",
        """
<p><b>Look at</b> the <b>[[panel.topology]]</b> panel: a ReLU unit that outputs 0 for every probe
point (the first 256 training points) is drawn grey with a × — it is <i>[[topology.dead]]</i> — and under
each column the panel writes the layer's “[[topology.dead]] x%”. The <b>[[panel.activation]]</b> panel shows each
layer's pre-activations under the ReLU curve: a dead unit's z values all lie left of 0,
where the slope is 0. Press <b>▶ [[toolbar.play]]</b> for ~300 steps (plain SGD, learning rate 1.0,
batches of 8): 36 of the 96 hidden units die (≈ 40 %; other seeds give roughly 25–50 %), just as
the notes warn that too high a learning rate can kill some 40 % of a network.</p>
<p><b>Change</b> in <b>[[panel.controls]]</b>:</p>
<ul>
<li><b>[[controls.activation]]</b> → <code>[[choice:leaky_relu]]</code> (or <b>[[flip]]</b>;
live, or <b>⟲ [[toolbar.reset]]</b> to start over): no unit can die (0 %);</li>
<li>or keep relu, set the <b>[[controls.lr]]</b> to 0.1 (or press <b>[[variant:0]]</b> under <i>[[lessons.also_try]]</i>) and press <b>⟲ [[toolbar.reset]]</b>: fewer than 10 % die.</li>
</ul>
<p><b>Why</b>: ReLU(z) = max(0, z) has slope 0 for z &lt; 0. One large update can push a
unit's weights and bias so far that z &lt; 0 for every input. From then on it outputs 0,
its gradient is 0 and its weights never change again: it is dead for good. Leaky ReLU
keeps a small slope (0.01·z) for z &lt; 0, so some gradient always flows and the unit can
come back; a smaller learning rate makes such catastrophic jumps rare.</p>
""",
    ),

    "zero-init-symmetry": (
        "Constant initialisation: the symmetry never breaks",
        """
<p><b>Look at</b> the <b>[[panel.topology]]</b> panel: every weight starts at the same value (0.3),
so the units of a layer are identical copies. Press <b>▶ [[toolbar.play]]</b>: they stay identical
forever — all neurons of a layer keep the same fill colour, and all the lines leaving one
neuron look alike — and the network, in effect one unit wide, cannot draw a circle
(accuracy ≈ 60 % in <b>[[panel.loss]]</b>).</p>
<p><b>Change</b> in <b>[[panel.controls]]</b>: <b>[[controls.init]]</b> → <code>[[choice:xavier]]</code> (random) and
<b>[[controls.init_scale]]</b> → 1, then <b>[[controls.apply]]</b>: the units differ from the start,
specialise, and the circle is learned (≈ 100 %). Also try <b>[[controls.init]]</b> → <code>[[choice:zeros]]</code>:
with tanh every hidden output is then 0 and so is every weight's gradient; only the output
bias can learn.</p>
<p><b>Why</b>: two units with the same incoming weights compute the same output, receive
the same gradient and get the same update — so after the update their weights are still
equal, at every step, whatever the optimiser. Random initialisation breaks this
<i>symmetry</i>. (Biases may start at 0: the random weights already make the units
different.)</p>
""",
    ),

    "xor": (
        "XOR: why a hidden layer is needed",
        """
<p><b>Look at</b> <b>[[panel.data]]</b>: XOR data — class 1 where x and y have
opposite signs. This preset has <b>no hidden layer</b>: the output is a linear function
of (x, y), its boundary a straight line, and the accuracy stays at or below 75 % however
long you train.</p>
<p><b>Change</b> in <b>[[panel.controls]]</b>: <b>[[controls.hidden]]</b> (the list of layer widths) →
<code>8</code>, i.e. one hidden layer of 8 units, then <b>[[controls.apply]]</b>. The ReLU
units bend the boundary into a cross and the accuracy reaches 100 %.</p>
<p><b>Why</b> (the notes' argument): take the truth table ⟨0,0⟩→0, ⟨0,1⟩→1, ⟨1,0⟩→1,
⟨1,1⟩→0 and a single neuron f(ax + by + c) with f increasing (e.g. sigmoid). Rows 1 and 2
need b &gt; 0, rows 1 and 3 need a &gt; 0, but rows 2 and 4 need a &lt; 0 — a
contradiction, so no single neuron computes XOR.</p>
<p>The notes' hand-made solution has one hidden layer of 2 ReLU units:
h₁ = relu(x + y − 1), h₂ = relu(−x − y + 1), out = −h₁ − h₂ + 1.
On the four corners h₁ = (0, 0, 0, 1), h₂ = (1, 0, 0, 0) and out = (0, 1, 1, 0): XOR.
Press <b>[[lessons.xor]]</b> under this text to load exactly this
network on the four corners: it classifies all four, its loss is 0, and training leaves it
where it is. Two units are enough for four corners, not for points that fill whole
quadrants right up to the axes, which is why the preset's fix uses a few more.</p>
""",
    ),

    "sigmoid-not-zero-centered": (
        "Sigmoid outputs are not zero-centred: zig-zag updates",
        """
<p><b>Look at</b> the <b>[[panel.topology]]</b> panel and switch its edge menu from <i>[[topology.weights]]</i> to
<i>[[topology.gradients]]</i>: each line is now ∂L/∂w, orange for positive, blue for negative. Pick any
neuron of the second hidden layer (or the output) and look at the lines coming into it:
they all have the same colour — all positive or all negative.</p>
<p><b>Change</b> in <b>[[panel.controls]]</b>: <b>[[controls.activation]]</b> → <code>[[choice:tanh]]</code> (live): the
colours into each neuron now mix. Train both from scratch (<b>⟲ [[toolbar.reset]]</b>): with plain
SGD and one sample per step, the sigmoid network is still near chance on the circle after
1,000 steps, the tanh network has learned it.</p>
<p><b>Why</b>: a neuron computes z = Σ wᵢxᵢ + b, so ∂L/∂wᵢ = (∂L/∂z)·xᵢ. When every input
xᵢ is positive — and sigmoid outputs always are (0 &lt; σ &lt; 1) — every wᵢ gradient has the
sign of the single number ∂L/∂z. All the weights of that neuron must go up together or
down together, so reaching weights where some must grow and others shrink takes a
zig-zag of steps. Adding up many samples in a batch <i>can</i> mix the signs (which is
why the notes call this a smaller problem than saturation), but here the sigmoid outputs
all sit near 0.5 and even the 256-sample gradient shown in the panel stays one-signed.
tanh outputs are centred on 0, so the signs mix.</p>
""",
    ),

    "overfitting": (
        "Overfitting: a big network on a few noisy points",
        """
<p><b>Look at</b> <b>[[panel.loss]]</b>: 40 training points of a noisy spiral and a
network of 2 × 64 ReLU units (≈ 4,500 parameters). Press <b>▶ [[toolbar.play]]</b>. The training loss
falls to ≈ 0 while the test loss, after a minimum around step 150, turns up and keeps
rising: the network is memorising the noise. In <b>[[panel.data]]</b> the boundary
snakes around individual points.</p>
<p><b>Change</b> in <b>[[panel.controls]]</b>: <b>[[controls.l2]]</b> → 0.01, or <b>[[controls.dropout]]</b> → 0.5; press
<b>⟲ [[toolbar.reset]]</b> and run again. The gap between test and training loss shrinks (after 600
steps ≈ 2.3 without, ≈ 0.25 with L2, ≈ 0.5 with dropout) and the boundary is smoother.</p>
<p><b>Why</b>: a network with far more parameters than data points can fit every
training point, noise included, and what it learns about the noise does not carry over
to new points. The notes' advice: use a big network and control it. L2 regularisation
adds ½λ‖W‖² to the loss, so every weight decays toward 0 (“gradual forgetting”) and the
function stays smooth; dropout trains a different thinned network at every step, so no
unit can lean on a few others.</p>
""",
    ),

    "dropout": (
        "Dropout: random masks, the same expectation",
        """
<p><b>Look at</b> the <b>[[panel.topology]]</b> panel with the toolbar's <b>[[toolbar.speed]]</b> set to
<b>[[toolbar.speed_10]]</b>: at every step about half of the hidden units are switched off at random
and drawn as yellow rings — a different half each time. In <b>[[panel.loss]]</b>
the test loss rises far less than in the overfitting lesson (same data, same network).</p>
<p><b>Change</b> in <b>[[panel.controls]]</b>: <b>[[controls.dropout]]</b> → 0 (live): the masks stop and the
test loss climbs; try 0.2 for a milder version.</p>
<p><b>Why</b>: with dropout p, each hidden unit is zeroed with probability p during
training. The notes describe two ways to keep training and testing consistent; nnvis uses
the modern one, <i>inverted dropout</i>: during training the surviving units are
multiplied by 1/(1 − p), so each unit's expected output — and the next layer's expected
input — equals its value without dropout. At test time nothing is dropped and nothing is
rescaled. (Averaged over 400 masks, the training-mode activations come out the same size
as the test-mode ones, within 1 %; without the 1/(1 − p) they would be half as large.)
Dropout is like training 2ⁿ thinned networks that share their weights and averaging them;
units cannot co-adapt.</p>
""",
    ),

    "universal-approximation": (
        "Universal approximation: one hidden layer fits a sine",
        """
<p><b>Look at</b> <b>[[panel.data]]</b>: noisy samples of sin(x) and the network's
fit. With a single hidden layer, each hidden unit's contribution wⱼ·relu(aⱼx + bⱼ) is
drawn as its own faint curve (the <i>[[data.hidden_units]]</i> box in the panel's header) — a
hinge, bent at its own place. The fit is their sum plus the output bias.</p>
<p><b>Change</b> in <b>[[panel.controls]]</b>: <b>[[controls.hidden]]</b> → <code>2</code> (one layer of
2 units), then <b>[[controls.apply]]</b>: two hinges cannot go down, up and down again
(squared error ≈ 0.2 instead of ≈ 0.01 with 16 units). Also try <b>[[variant:0]]</b>:
smooth S-shaped pieces instead of hinges.</p>
<p><b>Why</b>: as the notes put it, the weights and biases slice, flip and stretch copies
of the same activation function and the output layer adds them up; with ReLU the fit is a
polyline. The <i>universal approximation theorem</i> says that one hidden layer with
enough units can approximate any continuous function as closely as you like. It does not
say how many units you need or how easy they are to train — which is why deeper networks
are used in practice.</p>
""",
    ),

    "softmax-vs-hinge": (
        "Softmax cross-entropy vs hinge (SVM) loss",
        """
<p><b>Look at</b> <b>[[panel.loss]]</b> and <b>[[panel.data]]</b> on a
3-class spiral. With cross-entropy the outputs are turned into probabilities (softmax)
and the loss never reaches 0: the network keeps pushing the correct score further above
the others.</p>
<p><b>Change</b> in <b>[[panel.controls]]</b>: <b>[[controls.loss]]</b> → <code>[[choice:hinge]]</code>, then <b>[[controls.apply]]</b>. Both learn the spiral (≈ 100 %). But the hinge loss stops caring about a point
as soon as its correct score beats every other score by the margin 1: that point's loss
and gradient become exactly 0. After 2,000 steps the typical (median) margin is ≈ 2 with
hinge, and ≈ 6 and still growing with cross-entropy.</p>
<p><b>Why</b>: softmax turns scores zᵢ into probabilities pᵢ = e<sup>zᵢ</sup> / Σⱼ e<sup>zⱼ</sup>;
cross-entropy −ln p<sub>y</sub> is 0 only when p<sub>y</sub> = 1, i.e. an infinite
margin, so its gradient p − onehot(y) is never exactly 0. The multiclass SVM (hinge) loss
Σ<sub>j≠y</sub> max(0, z<sub>j</sub> − z<sub>y</sub> + 1) is fully satisfied by any margin
of at least 1. Probabilities with a confidence vs scores with a margin — for two classes,
the notes' binary softmax (logistic regression) and binary SVM classifiers.</p>
""",
    ),

    "learning-rate": (
        "The learning rate: crawl, converge, diverge",
        """
<p><b>Look at</b> <b>[[panel.loss]]</b> while the network fits a sine with plain
SGD. At learning rate 0.001 the loss crawls: after 1,000 steps it is still ≈ 0.17 and the
fit in <b>[[panel.data]]</b> is nearly flat.</p>
<p><b>Change</b> the <b>[[controls.lr]]</b> in <b>[[panel.controls]]</b> and press <b>⟲ [[toolbar.reset]]</b> to
start from the same weights:</p>
<ul>
<li>0.1 converges: loss ≈ 0.01 after 1,000 steps;</li>
<li>1.0 diverges: press <b>[[variant:0]]</b> under this text (it starts over from the same
initial weights) and at step 18 the loss explodes to infinity, the banner says so, training
stops and the last healthy weights are restored. Set on a network that is already training,
1.0 diverges just as fast, about 20 steps after the change (the banner counts its steps
from the start of training).</li>
</ul>
<p><b>Why</b>: gradient descent steps w ← w − lr·∂L/∂w. Too small a step and you need
forever; too large and every step overshoots the bottom of the valley further than it
started, so the error grows geometrically (on a parabola L = ½λw², any lr &gt; 2/λ
diverges). Good rates are usually found by trying powers of 10.</p>
""",
    ),
}
