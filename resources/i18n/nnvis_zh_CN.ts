<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActivationCurvesPanel</name>
    <message>
        <source>All hidden layers</source>
        <translation>所有隐藏层</translation>
    </message>
    <message>
        <source>σ′ ≤ 0.25: each sigmoid layer shrinks the gradient at least 4×; outputs not zero-centred (always positive), so the next layer&apos;s weight updates zig-zag.</source>
        <translation>σ′ ≤ 0.25：每经过一层 sigmoid，梯度至少缩小为 1/4；输出不以零为中心（总是正的），所以下一层的权重更新会走“之”字形。</translation>
    </message>
    <message>
        <source>a rescaled sigmoid: zero-centred (unlike σ) but still saturates: for |z| &gt; 2.65 less than 2% of the gradient gets through.</source>
        <translation>缩放后的 sigmoid：以零为中心（与 σ 不同），但仍会饱和：|z| &gt; 2.65 时只有不到 2% 的梯度能通过。</translation>
    </message>
    <message>
        <source>no saturation for z &gt; 0; units whose z stays &lt; 0 die (f′ = 0) and get no gradient to recover — too high a learning rate kills many.</source>
        <translation>z &gt; 0 时不饱和；z 一直 &lt; 0 的神经元会死亡（f′ = 0），得不到梯度也就无法恢复——学习率过大会让很多神经元死亡。</translation>
    </message>
    <message>
        <source>a small slope (0.01) for z &lt; 0 keeps some gradient flowing: units cannot die.</source>
        <translation>z &lt; 0 时保留一个小斜率（0.01），让一些梯度继续流动：神经元不会死亡。</translation>
    </message>
    <message>
        <source>leaky ReLU whose negative slope α is learned per neuron (starts at 0.25).</source>
        <translation>负半轴斜率 α 由每个神经元自己学习的 Leaky ReLU（初始为 0.25）。</translation>
    </message>
    <message>
        <source>a random negative slope in training acts as a regulariser; its mean (11/48) is used at test time.</source>
        <translation>训练时负半轴斜率随机取值，起正则化作用；测试时用其均值（11/48）。</translation>
    </message>
    <message>
        <source>smooth; negative outputs (down to −1) pull the mean activation toward 0; no dead units.</source>
        <translation>平滑；负输出（最低到 −1）把平均激活值拉向 0；没有死亡神经元。</translation>
    </message>
    <message>
        <source>a smooth ReLU: f′ = σ(z) is never exactly 0, but tiny for z ≪ 0.</source>
        <translation>平滑的 ReLU：f′ = σ(z) 永远不会恰好为 0，但 z ≪ 0 时非常小。</translation>
    </message>
    <message>
        <source>max of two learned linear pieces: no saturation and no dead units, but twice the parameters. (The curve shows one example of two pieces.)</source>
        <translation>取两个学习到的线性函数中的最大值：不饱和、没有死亡神经元，但参数量翻倍。（曲线只画出两段的一个例子。）</translation>
    </message>
    <message>
        <source>no non-linearity: a stack of linear layers is one linear map, so depth adds nothing — the network can only draw straight boundaries.</source>
        <translation>没有非线性：多层线性变换叠起来仍是一个线性映射，加深毫无用处——网络只能画出直线边界。</translation>
    </message>
    <message>
        <source>Whose pre-activation histogram to draw behind the curves</source>
        <translation>在曲线后面画出哪一层的预激活直方图</translation>
    </message>
    <message>
        <source>z histogram:</source>
        <translation>z 直方图：</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Overlay other activations&apos; f(z) as faint curves</source>
        <translation>用淡色曲线叠加其他激活函数的 f(z)</translation>
    </message>
    <message>
        <source>pre-activation z</source>
        <translation>预激活值 z</translation>
    </message>
    <message>
        <source>dead&lt;br&gt;f′ = 0</source>
        <translation>死亡&lt;br&gt;f′ = 0</translation>
    </message>
    <message>
        <source>z histogram</source>
        <translation>z 直方图</translation>
    </message>
    <message>
        <source>saturated&lt;br&gt;f′ &amp;lt; {0}% of max</source>
        <translation>饱和&lt;br&gt;f′ &amp;lt; 最大值的 {0}%</translation>
    </message>
    <message>
        <source>zero-centred</source>
        <translation>以零为中心</translation>
    </message>
    <message>
        <source>not zero-centred</source>
        <translation>不以零为中心</translation>
    </message>
    <message>
        <source>outputs in {0} · max slope {1} · {2}</source>
        <translation>输出范围 {0} · 最大斜率 {1} · {2}</translation>
    </message>
    <message>
        <source>{0} saturated</source>
        <translation>{0} 饱和</translation>
    </message>
    <message>
        <source>{0} of z &amp;lt; {1}</source>
        <translation>{0} 的 z &amp;lt; {1}</translation>
    </message>
    <message>
        <source>{0}/{1} units dead</source>
        <translation>{0}/{1} 个神经元死亡</translation>
    </message>
    <message>
        <source>: </source>
        <translation>：</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>&lt;b&gt;Now&lt;/b&gt; &lt;span style=&apos;color:#9aa3b2&apos;&gt;(share of pre-activations on the probe batch)&lt;/span&gt;</source>
        <translation>&lt;b&gt;当前&lt;/b&gt; &lt;span style=&apos;color:#9aa3b2&apos;&gt;（探测批次上预激活值所占比例）&lt;/span&gt;</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#e5c07b&apos;&gt;No hidden layer&lt;/b&gt;: this network uses no activation function: the output is a linear function of the input (logistic / softmax regression). The curve shows what hidden layers would use; add one under &lt;b&gt;Hidden layers&lt;/b&gt;.</source>
        <translation>&lt;b style=&apos;color:#e5c07b&apos;&gt;没有隐藏层&lt;/b&gt;：这个网络不使用激活函数，输出是输入的线性函数（逻辑回归 / softmax 回归）。曲线展示的是隐藏层将会使用的函数；可在&lt;b&gt;隐藏层&lt;/b&gt;中添加一层。</translation>
    </message>
</context>
<context>
    <name>BackpropPanel</name>
    <message>
        <source>f = (x + y)·z</source>
        <extracomment>{&quot;sample&quot;: i, &quot;split&quot;: &quot;train&quot;|&quot;test&quot;}: the main window asks the engine for it. (&quot;train&quot; | &quot;test&quot;, index): the sample chosen here, for the Data panel to ring.</extracomment>
        <translation>f = (x + y)·z</translation>
    </message>
    <message>
        <source>Sigmoid neuron σ(w0·x0 + w1·x1 + w2)</source>
        <translation>sigmoid 神经元 σ(w0·x0 + w1·x1 + w2)</translation>
    </message>
    <message>
        <source>The network on one sample</source>
        <translation>网络上的一个样本</translation>
    </message>
    <message>
        <source>Which computation graph to walk through</source>
        <translation>要逐步走一遍的计算图</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>前向</translation>
    </message>
    <message>
        <source>Compute every node&apos;s value from the inputs (for the network: with its current weights, taken between two training steps)</source>
        <translation>从输入算出每个节点的值（对网络而言：使用它当前的权重，在两个训练步之间取得）</translation>
    </message>
    <message>
        <source>Backward step</source>
        <translation>反向一步</translation>
    </message>
    <message>
        <source>Visit the next gate from the output back: it multiplies its local gradient by the gradient arriving from above</source>
        <translation>从输出往回走到下一个门：它把自己的局部梯度乘以从上游传来的梯度</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play backward</source>
        <translation>播放反向传播</translation>
    </message>
    <message>
        <source>Walk the whole backward pass, one gate at a time</source>
        <translation>一个门一个门地走完整个反向传播</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>全部显示</translation>
    </message>
    <message>
        <source>Show every gradient at once</source>
        <translation>一次显示所有梯度</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Hide the values and gradients again</source>
        <translation>重新隐藏所有值和梯度</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Fit the graph to the panel (Ctrl + wheel zooms)</source>
        <translation>把计算图缩放到面板大小（Ctrl + 滚轮缩放）</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Dismiss</source>
        <extracomment>The banner&apos;s kinds that are no failure: what the user asked for happened.</extracomment>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Lower rate ÷10 and resume</source>
        <translation>学习率 ÷10 并继续</translation>
    </message>
    <message>
        <source>the gradient of {0}</source>
        <translation>{0} 的梯度</translation>
    </message>
    <message>
        <source>the weights {0}</source>
        <translation>权重 {0}</translation>
    </message>
    <message>
        <source>the activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>the logits</source>
        <translation>logits</translation>
    </message>
    <message>
        <source>the loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>&lt;b&gt;The trainer process stopped&lt;/b&gt; (exit code {0}). Your settings are kept; restart it to continue with fresh weights.</source>
        <translation>&lt;b&gt;训练进程已停止&lt;/b&gt;（退出码 {0}）。你的设置都已保留；重启训练进程即可用新的权重继续。</translation>
    </message>
    <message>
        <source>&lt;b&gt;The trainer process stopped&lt;/b&gt; (exit code {0}). The autosave holds the experiment at step {1}: restart from there, or with fresh weights.</source>
        <translation>&lt;b&gt;训练进程已停止&lt;/b&gt;（退出码 {0}）。自动保存里有第 {1} 步时的实验：可以从那里重新启动，也可以用新的权重重新启动。</translation>
    </message>
    <message>
        <source>Restart trainer</source>
        <translation>重启训练进程</translation>
    </message>
    <message>
        <source>{0} in layer &apos;{1}&apos;</source>
        <translation>“{1}”中的{0}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Training diverged at step {0}:&lt;/b&gt; {1} became non-finite (infinite or NaN). Restored the last healthy weights (from step {2}); the curves drop the steps since. Try a lower learning rate (now {3}), gradient clipping, batch norm or a smaller initial scale.</source>
        <translation>&lt;b&gt;训练在第 {0} 步发散：&lt;/b&gt;{1}变成了无穷大或 NaN（非有限值）。已恢复最近一次正常的权重（第 {2} 步），曲线也删去了之后的步数。请尝试更小的学习率（当前为 {3}）、梯度裁剪、批归一化或更小的初始化尺度。</translation>
    </message>
    <message>
        <source>Restart from the last autosave (step {0}, {1} steps lost)</source>
        <translation>从上次自动保存重新启动（第 {0} 步，丢失 {1} 步）</translation>
    </message>
    <message>
        <source>Restart with fresh weights</source>
        <translation>用新的权重重新启动</translation>
    </message>
    <message>
        <source>&lt;b&gt;Autosave and crash recovery are off:&lt;/b&gt; {0}. Save your experiment with File ▸ Save.</source>
        <translation>&lt;b&gt;自动保存和崩溃恢复已关闭：&lt;/b&gt;{0}。请用 文件 ▸ 保存实验 保存你的实验。</translation>
    </message>
    <message>
        <source>&lt;b&gt;The trainer is not answering&lt;/b&gt; (nothing for {0} s while training). It may be stopped or stuck.</source>
        <translation>&lt;b&gt;训练进程没有响应&lt;/b&gt;（训练中已 {0} 秒没有消息）。它可能被暂停或卡住了。</translation>
    </message>
    <message>
        <source>Train on</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <source>{0} is not opened yet: {1}. Choose another loss in Controls and press Apply.</source>
        <translation>{0} 尚未打开：{1}。请在控制面板中选择其他损失函数，然后点击应用。</translation>
    </message>
    <message>
        <source>Could not open {0}: {1}</source>
        <translation>无法打开 {0}：{1}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Error:&lt;/b&gt; {0}</source>
        <translation>&lt;b&gt;错误：&lt;/b&gt;{0}</translation>
    </message>
</context>
<context>
    <name>Choices</name>
    <message>
        <source>circle</source>
        <translation>圆环</translation>
    </message>
    <message>
        <source>xor</source>
        <translation>异或（XOR）</translation>
    </message>
    <message>
        <source>gaussian</source>
        <translation>高斯</translation>
    </message>
    <message>
        <source>spiral</source>
        <translation>螺旋</translation>
    </message>
    <message>
        <source>moons</source>
        <translation>双月</translation>
    </message>
    <message>
        <source>checkerboard</source>
        <translation>棋盘</translation>
    </message>
    <message>
        <source>blobs</source>
        <translation>团簇</translation>
    </message>
    <message>
        <source>sine</source>
        <translation>正弦</translation>
    </message>
    <message>
        <source>plane</source>
        <translation>平面</translation>
    </message>
    <message>
        <source>digits</source>
        <translation>手写数字</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>linear</source>
        <translation>线性</translation>
    </message>
    <message>
        <source>sigmoid</source>
        <translation>sigmoid</translation>
    </message>
    <message>
        <source>tanh</source>
        <translation>tanh</translation>
    </message>
    <message>
        <source>relu</source>
        <translation>ReLU</translation>
    </message>
    <message>
        <source>leaky_relu</source>
        <translation>Leaky ReLU</translation>
    </message>
    <message>
        <source>prelu</source>
        <translation>PReLU</translation>
    </message>
    <message>
        <source>rrelu</source>
        <translation>RReLU</translation>
    </message>
    <message>
        <source>elu</source>
        <translation>ELU</translation>
    </message>
    <message>
        <source>softplus</source>
        <translation>softplus</translation>
    </message>
    <message>
        <source>maxout</source>
        <translation>maxout</translation>
    </message>
    <message>
        <source>zeros</source>
        <translation>全零</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>常数</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>正态分布</translation>
    </message>
    <message>
        <source>uniform</source>
        <translation>均匀分布</translation>
    </message>
    <message>
        <source>xavier</source>
        <translation>Xavier</translation>
    </message>
    <message>
        <source>xavier_uniform</source>
        <translation>Xavier（均匀）</translation>
    </message>
    <message>
        <source>he</source>
        <translation>He</translation>
    </message>
    <message>
        <source>lecun</source>
        <translation>LeCun</translation>
    </message>
    <message>
        <source>mse</source>
        <translation>均方误差（MSE）</translation>
    </message>
    <message>
        <source>binary_cross_entropy</source>
        <translation>二元交叉熵</translation>
    </message>
    <message>
        <source>cross_entropy</source>
        <translation>交叉熵（softmax）</translation>
    </message>
    <message>
        <source>hinge</source>
        <translation>hinge（多类 SVM）</translation>
    </message>
    <message>
        <source>sgd</source>
        <translation>SGD</translation>
    </message>
    <message>
        <source>momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>nesterov</source>
        <translation>Nesterov 动量</translation>
    </message>
    <message>
        <source>rmsprop</source>
        <translation>RMSprop</translation>
    </message>
    <message>
        <source>adam</source>
        <translation>Adam</translation>
    </message>
</context>
<context>
    <name>ControlsPanel</name>
    <message>
        <source>The data set. 2-D sets show a decision boundary; sine is 1-D regression; digits is the real 8×8 handwritten digits set (64 features, 10 classes).</source>
        <extracomment>Refusals that only the loss causes (the data is good): the change waits for another loss.</extracomment>
        <translation>数据集。二维数据集会显示决策边界；正弦是一维回归；手写数字是真实的 8×8 手写数字数据集（64 个特征，10 个类别）。</translation>
    </message>
    <message>
        <source>Number of classes (spiral and blobs).</source>
        <translation>类别数（螺旋和团簇）。</translation>
    </message>
    <message>
        <source>How much the points are jittered: more noise, more overlap between classes.</source>
        <translation>数据点的抖动程度：噪声越大，类别之间重叠越多。</translation>
    </message>
    <message>
        <source>Share of the points used for training; the rest is the test set.</source>
        <translation>用于训练的数据点比例；其余的作为测试集。</translation>
    </message>
    <message>
        <source>Classification or regression. auto: a built-in set&apos;s own; for a CSV, read from its label column (text or few values: classes; many values, some not whole or most in only a few rows: regression).</source>
        <translation>分类还是回归。自动：内置数据集按其本身；CSV 文件根据标签列判断（文本或取值很少：分类；取值很多，且有的不是整数、或大多数只出现在少数几行：回归）。</translation>
    </message>
    <message>
        <source>Share of the training points held out as a validation set: early stopping watches its loss. The test set never chooses the weights.</source>
        <translation>从训练数据中留出作为验证集的比例：提前停止看的是它的损失。测试集从不参与选择权重。</translation>
    </message>
    <message>
        <source>Seeds the initial weights alone, so that only the initialisation changes (same data, same batches).</source>
        <translation>只决定初始权重的随机种子，这样只有初始化改变（数据相同，小批量相同）。</translation>
    </message>
    <message>
        <source>Stop when the validation loss has not improved for Patience evaluations and restore the best weights. Needs a validation share above 0.</source>
        <translation>当验证损失连续“耐心”次评估都没有改善时停止训练，并恢复最佳权重。需要验证集比例大于 0。</translation>
    </message>
    <message>
        <source>Evaluations on the validation set without improvement before training stops early.</source>
        <translation>在提前停止训练之前，允许验证集上连续多少次评估没有改善。</translation>
    </message>
    <message>
        <source>Standardise each feature with the training mean and std: data centred on the origin trains faster (the notes&apos; reason for normalising inputs).</source>
        <translation>用训练集的均值和标准差标准化每个特征：以原点为中心的数据训练得更快（这正是笔记中对输入做归一化的理由）。</translation>
    </message>
    <message>
        <source>The non-linearity of every hidden layer. Live: the weights are kept.</source>
        <translation>每个隐藏层的非线性函数。实时生效：权重保持不变。</translation>
    </message>
    <message>
        <source>How weights start. zeros/constant keep every unit of a layer identical forever (symmetry); xavier suits tanh/sigmoid, he suits ReLU.</source>
        <translation>权重的初始值。全零 / 常数会让同一层的所有神经元永远完全相同（对称性）；Xavier 适合 tanh / sigmoid，He 适合 ReLU。</translation>
    </message>
    <message>
        <source>Std for normal, half-width for uniform, value for constant, a gain for xavier/he/lecun.</source>
        <translation>正态分布的标准差、均匀分布的半宽、常数的取值，或 Xavier / He / LeCun 的增益系数。</translation>
    </message>
    <message>
        <source>cross_entropy: softmax probabilities; hinge: multiclass SVM margins; binary_cross_entropy: one sigmoid output; mse: squared error (regression).</source>
        <translation>交叉熵：softmax 概率；hinge：多类 SVM 间隔；二元交叉熵：一个 sigmoid 输出；均方误差：平方误差（回归）。</translation>
    </message>
    <message>
        <source>Normalise each neuron&apos;s pre-activation over the batch, then scale and shift (learned γ, β). Keeps deep sigmoid nets out of saturation.</source>
        <translation>在小批量上归一化每个神经元的预激活值，再做缩放和平移（学习得到的 γ、β）。让深层 sigmoid 网络远离饱和。</translation>
    </message>
    <message>
        <source>Add each layer&apos;s input to its output where widths match: gradients get a direct path to early layers.</source>
        <translation>在宽度相同的地方把每层的输入加到它的输出上：梯度就有了一条直达前面各层的通路。</translation>
    </message>
    <message>
        <source>Zero each hidden unit with this probability during training (inverted dropout: survivors are scaled by 1/(1−p)). Off at test time.</source>
        <translation>训练时以这个概率把每个隐藏神经元置零（倒置 dropout：保留下来的神经元乘以 1/(1−p)）。测试时关闭。</translation>
    </message>
    <message>
        <source>sgd, momentum, nesterov, rmsprop or adam. Live: switching resets the optimiser&apos;s memory, not the weights.</source>
        <translation>SGD、动量、Nesterov 动量、RMSprop 或 Adam。实时生效：切换会清空优化器的记忆，但不改变权重。</translation>
    </message>
    <message>
        <source>Momentum for momentum/nesterov; β₁ for adam.</source>
        <translation>动量 / Nesterov 动量的动量系数；Adam 的 β₁。</translation>
    </message>
    <message>
        <source>Samples per update. Batch norm needs more than a handful.</source>
        <translation>每次更新使用的样本数。批归一化需要的样本不能太少。</translation>
    </message>
    <message>
        <source>L1 penalty λ·Σ|w|: pushes weights to exactly zero.</source>
        <translation>L1 惩罚 λ·Σ|w|：把权重推向恰好为零。</translation>
    </message>
    <message>
        <source>L2 penalty ½λ·Σw²: weight decay, the notes&apos; &quot;gradual forgetting&quot;.</source>
        <translation>L2 惩罚 ½λ·Σw²：权重衰减，即笔记中所说的“逐步遗忘”。</translation>
    </message>
    <message>
        <source>Rescale the gradient when its global norm exceeds this (0: off).</source>
        <translation>梯度的全局范数超过此值时把梯度缩放回来（0：关闭）。</translation>
    </message>
    <message>
        <source>Same seed, same data, same initial weights, same batches: runs repeat exactly.</source>
        <translation>相同的随机种子，就有相同的数据、相同的初始权重和相同的小批量：每次运行完全一样。</translation>
    </message>
    <message>
        <source>write layer widths as numbers separated by commas, e.g. 16, 16, 8</source>
        <translation>请用逗号分隔的数字写出各层宽度，例如 16, 16, 8</translation>
    </message>
    <message>
        <source>same as Seed</source>
        <translation>与随机种子相同</translation>
    </message>
    <message>
        <source>Hidden layers</source>
        <translation>隐藏层</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>CSV file</source>
        <translation>CSV 文件</translation>
    </message>
    <message>
        <source>Label column</source>
        <translation>标签列</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>类别数</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>噪声</translation>
    </message>
    <message>
        <source>Train share</source>
        <translation>训练集比例</translation>
    </message>
    <message>
        <source>Standardise features</source>
        <translation>标准化特征</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Init</source>
        <translation>初始化</translation>
    </message>
    <message>
        <source>Init scale</source>
        <translation>初始化尺度</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>Batch norm</source>
        <translation>批归一化</translation>
    </message>
    <message>
        <source>Residual: h = f(x) + x</source>
        <translation>残差连接：h = f(x) + x</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Validation share</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <source>Init seed</source>
        <translation>初始化种子</translation>
    </message>
    <message>
        <source>Early stopping</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>Patience</source>
        <translation>耐心</translation>
    </message>
    <message>
        <source>Optimiser</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>optim.lr: &apos;{0}&apos; is not a number</source>
        <translation>optim.lr：“{0}”不是数字</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量系数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>L1</source>
        <translation>L1</translation>
    </message>
    <message>
        <source>L2</source>
        <translation>L2</translation>
    </message>
    <message>
        <source>Clip norm</source>
        <translation>梯度裁剪阈值</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Hidden layer widths, e.g. 16, 16, 8 (empty: no hidden layer)</source>
        <translation>各隐藏层的宽度，例如 16, 16, 8（留空：没有隐藏层）</translation>
    </message>
    <message>
        <source>Apply &amp;&amp; rebuild (new weights)</source>
        <translation>应用并重建（新权重）</translation>
    </message>
    <message>
        <source>Structural changes start a fresh network</source>
        <translation>结构上的改动会从一个全新的网络开始</translation>
    </message>
    <message>
        <source>Live: activation, learning rate, dropout, batch norm, residual, L1/L2, optimiser, batch size — they apply between steps and keep the weights.</source>
        <translation>实时生效：激活函数、学习率、Dropout、批归一化、残差连接、L1/L2、优化器、批大小——它们在两步之间生效，权重保持不变。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>CSV: {0} (label: {1}) — pick a dataset above to go back to the built-in sets</source>
        <translation>CSV：{0}（标签：{1}）——在上方选择一个数据集即可回到内置数据集</translation>
    </message>
    <message>
        <source>Changed: {0}. Press Apply &amp; rebuild — these start a fresh network.</source>
        <translation>已修改：{0}。请点击“应用并重建”——这些改动会从一个全新的网络开始。</translation>
    </message>
</context>
<context>
    <name>DataFacts</name>
    <message>
        <source>Task: {0}</source>
        <translation>任务：{0}</translation>
    </message>
    <message>
        <source>none (regression)</source>
        <translation>无（回归）</translation>
    </message>
</context>
<context>
    <name>DataPlane</name>
    <message>
        <source>Decision regions (dim = unsure)</source>
        <translation>决策区域（颜色越暗越不确定）</translation>
    </message>
    <message>
        <source>Predicted value</source>
        <translation>预测值</translation>
    </message>
    <message>
        <source>Fit f(x) and the data</source>
        <translation>拟合 f(x) 与数据</translation>
    </message>
    <message>
        <source>neuron output</source>
        <translation>神经元输出</translation>
    </message>
    <message>
        <source>Neuron {0}: output</source>
        <translation>神经元 {0}：输出</translation>
    </message>
    <message>
        <source>value</source>
        <translation>数值</translation>
    </message>
</context>
<context>
    <name>DataViewPanel</name>
    <message>
        <source>each unit&apos;s scaled, shifted activation; their sum + bias = the fit</source>
        <translation>每个神经元经缩放和平移后的激活值；它们的和加上偏置就是拟合结果</translation>
    </message>
    <message>
        <source>Principal axes: decision regions (dim = unsure)</source>
        <translation>主成分轴：决策区域（颜色越暗越不确定）</translation>
    </message>
    <message>
        <source>Predicted vs true</source>
        <translation>预测值与真实值</translation>
    </message>
    <message>
        <source>{0} (standardised)</source>
        <extracomment>What the plane and the points draw a many-input view as. Emitted by &quot;× back to prediction&quot;; the main window may send (&quot;probe&quot;, None) on it. A click on a data point: (&quot;train&quot; | &quot;test&quot;, index) — the Backprop panel follows it.</extracomment>
        <translation>{0}（已标准化）</translation>
    </message>
    <message>
        <source>PC1</source>
        <translation>PC1</translation>
    </message>
    <message>
        <source>PC2</source>
        <translation>PC2</translation>
    </message>
    <message>
        <source>true {0}</source>
        <translation>真实 {0}</translation>
    </message>
    <message>
        <source>predicted {0}</source>
        <translation>预测 {0}</translation>
    </message>
    <message>
        <source>{0} (target)</source>
        <translation>{0}（目标）</translation>
    </message>
    <message>
        <source>y (target)</source>
        <translation>y（目标值）</translation>
    </message>
    <message>
        <source>hidden units</source>
        <translation>隐藏神经元</translation>
    </message>
    <message>
        <source>Show each hidden unit&apos;s scaled activation w·h(x): {0}</source>
        <translation>显示每个隐藏神经元缩放后的激活值 w·h(x)：{0}</translation>
    </message>
    <message>
        <source>× back to prediction</source>
        <translation>× 回到预测</translation>
    </message>
    <message>
        <source>Stop showing the clicked neuron; show the network&apos;s prediction</source>
        <translation>不再显示点击的神经元，改为显示网络的预测</translation>
    </message>
    <message>
        <source>&lt;b&gt;Neuron {0}&lt;/b&gt;: its output over the input plane (eval mode)</source>
        <translation>&lt;b&gt;神经元 {0}&lt;/b&gt;：它在输入平面上的输出（评估模式）</translation>
    </message>
    <message>
        <source>colour = the neuron&apos;s output: {0}negative{1} · dark ≈ 0 · {2}positive{1} &amp;nbsp; ● train &amp;nbsp;○ test</source>
        <translation>颜色 = 神经元的输出：{0}负{1} · 暗 ≈ 0 · {2}正{1} &amp;nbsp; ● 训练 &amp;nbsp;○ 测试</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: {1}-class classification</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：{1} 类分类</translation>
    </message>
    <message>
        <source>class {0} &amp;nbsp;·&amp;nbsp; ● train &amp;nbsp;○ test &amp;nbsp;·&amp;nbsp; dimmer = less confident</source>
        <translation>类别 {0} &amp;nbsp;·&amp;nbsp; ● 训练 &amp;nbsp;○ 测试 &amp;nbsp;·&amp;nbsp; 越暗 = 越不确定</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: {1}-class classification on {2} inputs, seen on their two principal axes</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：{2} 个输入的 {1} 类分类，在两个主成分轴上观察</translation>
    </message>
    <message>
        <source>class {0} &amp;nbsp;·&amp;nbsp; ● train &amp;nbsp;○ test &amp;nbsp;·&amp;nbsp; × predicted wrong &amp;nbsp;·&amp;nbsp; background: the predicted class on this plane through the data&apos;s centre</source>
        <translation>类别 {0} &amp;nbsp;·&amp;nbsp; ● 训练 &amp;nbsp;○ 测试 &amp;nbsp;·&amp;nbsp; × 预测错误 &amp;nbsp;·&amp;nbsp; 背景：在穿过数据中心的这个平面上预测的类别</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: regression on {1} inputs: each sample&apos;s prediction against its true value</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：{1} 个输入的回归：每个样本的预测值对照其真实值</translation>
    </message>
    <message>
        <source>{0}●{2} train &amp;nbsp;{1}○{2} test &amp;nbsp;·&amp;nbsp; ╌ y = x: a perfect prediction &amp;nbsp;·&amp;nbsp; in the target&apos;s units</source>
        <translation>{0}●{2} 训练 &amp;nbsp;{1}○{2} 测试 &amp;nbsp;·&amp;nbsp; ╌ y = x：完美预测 &amp;nbsp;·&amp;nbsp; 以目标的单位表示</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: regression on 2 inputs</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：两个输入的回归</translation>
    </message>
    <message>
        <source>colour = value (bar at the right): background = prediction, points = target &amp;nbsp;·&amp;nbsp; ● train (dark rim) &amp;nbsp;◉ test (light rim)</source>
        <translation>颜色 = 数值（见右侧色条）：背景 = 预测，点 = 目标值 &amp;nbsp;·&amp;nbsp; ● 训练（深色边） &amp;nbsp;◉ 测试（浅色边）</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: regression on 1 input</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：一个输入的回归</translation>
    </message>
    <message>
        <source>faint lines: {0}</source>
        <translation>淡色线：{0}</translation>
    </message>
    <message>
        <source>{0}━{3} fit &amp;nbsp;{1}●{3} train &amp;nbsp;{2}○{3} test</source>
        <translation>{0}━{3} 拟合 &amp;nbsp;{1}●{3} 训练 &amp;nbsp;{2}○{3} 测试</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: {1} input features, {2}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：{1} 个输入特征，{2}</translation>
    </message>
    <message>
        <source>classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>{0} unit {1}</source>
        <translation>{0} 神经元 {1}</translation>
    </message>
    <message>
        <source>&lt;b&gt;1 input feature&lt;/b&gt; ({0})</source>
        <translation>&lt;b&gt;1 个输入特征&lt;/b&gt;（{0}）</translation>
    </message>
    <message>
        <source>&lt;b&gt;{1} input features&lt;/b&gt; ({0})</source>
        <translation>&lt;b&gt;{1} 个输入特征&lt;/b&gt;（{0}）</translation>
    </message>
    <message>
        <source>{0}: no 2-D view of this data — see the loss and accuracy panel.</source>
        <translation>{0}：这份数据没有二维视图——请看损失与准确率面板。</translation>
    </message>
    <message>
        <source>Test accuracy now: &lt;b&gt;{0} %&lt;/b&gt;</source>
        <translation>当前测试准确率：&lt;b&gt;{0} %&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Test loss now: {0}</source>
        <translation>当前测试损失：{0}</translation>
    </message>
</context>
<context>
    <name>DockLayout</name>
    <message>
        <source>Controls</source>
        <translation>控制</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Loss &amp; accuracy</source>
        <translation>损失与准确率</translation>
    </message>
    <message>
        <source>Gradient flow</source>
        <translation>梯度流</translation>
    </message>
    <message>
        <source>Data &amp; prediction</source>
        <translation>数据与预测</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Weights &amp; gradients</source>
        <translation>权重与梯度</translation>
    </message>
    <message>
        <source>Backprop</source>
        <translation>反向传播</translation>
    </message>
</context>
<context>
    <name>EngineText</name>
    <message>
        <source>name the label column of the CSV file</source>
        <translation>请指定 CSV 文件的标签列</translation>
    </message>
    <message>
        <source>must be a file path string</source>
        <translation>必须是文件路径</translation>
    </message>
    <message>
        <source>unknown field</source>
        <translation>未知字段</translation>
    </message>
    <message>
        <source>a finite number</source>
        <translation>有限数</translation>
    </message>
    <message>
        <source>an integer</source>
        <translation>整数</translation>
    </message>
    <message>
        <source> and </source>
        <translation>，且 </translation>
    </message>
    <message>
        <source>must be {0}, {1} (got {2})</source>
        <translation>必须是{0}，且 {1}（实际为 {2}）</translation>
    </message>
    <message>
        <source>must be {0} (got {1})</source>
        <translation>必须是{0}（实际为 {1}）</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>must be one of {0} (got {1})</source>
        <translation>必须是以下之一：{0}（实际为 {1}）</translation>
    </message>
    <message>
        <source>cannot read {file}: {error}</source>
        <translation>无法读取 {file}：{error}</translation>
    </message>
    <message>
        <source>{file} is not UTF-8 text (line {line})</source>
        <translation>{file} 不是 UTF-8 文本（第 {line} 行）</translation>
    </message>
    <message>
        <source>row {row}, column {column}: {value} is not a number</source>
        <translation>第 {row} 行，第 {column} 列：{value} 不是数字</translation>
    </message>
    <message>
        <source>row {row}, column {index} is not a number</source>
        <translation>第 {row} 行，第 {index} 列不是数字</translation>
    </message>
    <message>
        <source>row {row}, column {column}: {value} is not a finite number</source>
        <translation>第 {row} 行，第 {column} 列：{value} 不是有限数</translation>
    </message>
    <message>
        <source>row {row}, column {index} is not a finite number</source>
        <translation>第 {row} 行，第 {index} 列不是有限数</translation>
    </message>
    <message>
        <source>line {line}: {error}</source>
        <translation>第 {line} 行：{error}</translation>
    </message>
    <message>
        <source>{file} is empty</source>
        <translation>{file} 是空文件</translation>
    </message>
    <message>
        <source>column {index} has no name in the header</source>
        <translation>表头中第 {index} 列没有名称</translation>
    </message>
    <message>
        <source>column name {name} appears twice (columns {first} and {second})</source>
        <translation>列名 {name} 出现了两次（第 {first} 列和第 {second} 列）</translation>
    </message>
    <message>
        <source>columns {first} and {second} have the same name</source>
        <translation>第 {first} 列和第 {second} 列同名</translation>
    </message>
    <message>
        <source>no column {label}; columns are: {columns}</source>
        <translation>没有 {label} 列；现有的列：{columns}</translation>
    </message>
    <message>
        <source>{file} has no column {label} in its first line</source>
        <translation>{file} 的第一行中没有 {label} 列</translation>
    </message>
    <message>
        <source>{file} has only the label column; it needs at least one feature column</source>
        <translation>{file} 只有标签列；至少还需要一个特征列</translation>
    </message>
    <message>
        <source>{file} has a header but no data rows</source>
        <translation>{file} 有表头但没有数据行</translation>
    </message>
    <message>
        <source>{file} has only {rows} data rows; at least {least} are needed</source>
        <translation>{file} 只有 {rows} 行数据；至少需要 {least} 行</translation>
    </message>
    <message>
        <source>row {row} has {cells} cells, header has {header}</source>
        <translation>第 {row} 行有 {cells} 项，表头有 {header} 项</translation>
    </message>
    <message>
        <source>row {row}, column {column}: the label is empty</source>
        <translation>第 {row} 行，第 {column} 列：标签为空</translation>
    </message>
    <message>
        <source>row {row}, column {column}: the label is not a finite number</source>
        <translation>第 {row} 行，第 {column} 列：标签不是有限数</translation>
    </message>
    <message>
        <source>regression needs a numeric label column: row {row}, column {column} holds {value}</source>
        <translation>回归需要数值型的标签列：第 {row} 行，第 {column} 列是 {value}</translation>
    </message>
    <message>
        <source>regression needs a numeric label column: row {row}, column {column} is not a number</source>
        <translation>回归需要数值型的标签列：第 {row} 行，第 {column} 列不是数字</translation>
    </message>
    <message>
        <source>label column {column} has only one class ({value}); at least 2 are needed</source>
        <translation>标签列 {column} 只有一个类别（{value}）；至少需要 2 个</translation>
    </message>
    <message>
        <source>label column {column} has only one class; at least 2 are needed</source>
        <translation>标签列 {column} 只有一个类别；至少需要 2 个</translation>
    </message>
    <message>
        <source>needs a validation set: set the validation share above 0</source>
        <translation>需要验证集：请把验证集比例设为大于 0</translation>
    </message>
    <message>
        <source>{name} is a {actual} set (got {value})</source>
        <translation>{name} 是{actual}数据集（而不是 {value}）</translation>
    </message>
    <message>
        <source>{name} is a regression set: use mse (got {value})</source>
        <translation>{name} 是回归数据集：请使用 mse（当前为 {value}）</translation>
    </message>
    <message>
        <source>binary_cross_entropy needs 2 classes; {name} has {classes}: use cross_entropy or hinge</source>
        <translation>binary_cross_entropy 需要 2 个类别；{name} 有 {classes} 个：请使用 cross_entropy 或 hinge</translation>
    </message>
    <message>
        <source>not a file: {0}</source>
        <translation>不是文件：{0}</translation>
    </message>
    <message>
        <source>no such file: {0}</source>
        <translation>文件不存在：{0}</translation>
    </message>
    <message>
        <source>{0} is larger than the limit of {1} MB</source>
        <translation>{0} 超过了 {1} MB 的上限</translation>
    </message>
    <message>
        <source>{0} is {1:.1f} MB; the limit is {2} MB</source>
        <translation>{0} 有 {1:.1f} MB；上限是 {2} MB</translation>
    </message>
    <message>
        <source>the label column</source>
        <translation>标签列</translation>
    </message>
    <message>
        <source>column {0}</source>
        <translation>第 {0} 列</translation>
    </message>
    <message>
        <source>{0} holds numbers too large to use (up to {1:.3g}): rescale it</source>
        <translation>{0} 中的数值太大，无法使用（最大到 {1:.3g}）：请先缩放</translation>
    </message>
    <message>
        <source>feature column {0}</source>
        <translation>特征列 {0}</translation>
    </message>
    <message>
        <source>{0} holds numbers too large to use</source>
        <translation>{0} 中的数值太大，无法使用</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>{0:g} of {1} samples leaves no {2} samples</source>
        <translation>{1} 个样本中的 {0:g} 会让{2}集一个样本也没有</translation>
    </message>
    <message>
        <source>must be true or false (got {0})</source>
        <translation>必须是布尔值（是或否，实际为 {0}）</translation>
    </message>
    <message>
        <source>must be a list of at most {0} layer widths</source>
        <translation>必须是最多 {0} 个层宽度组成的列表</translation>
    </message>
    <message>
        <source>Label column {column} holds text: read as {values} classes</source>
        <translation>标签列 {column} 是文本：按 {values} 个类别读取</translation>
    </message>
    <message>
        <source>Label column {column} has {values} distinct values (at most {most}): read as classes</source>
        <translation>标签列 {column} 有 {values} 个不同取值（不超过 {most} 个）：按类别读取</translation>
    </message>
    <message>
        <source>Label column {column} has {values} distinct values, some not whole: read as a regression target</source>
        <translation>标签列 {column} 有 {values} 个不同取值，其中有非整数：按回归目标读取</translation>
    </message>
    <message>
        <source>Label column {column} has {values} distinct whole numbers, {sparse} of them in fewer than {min_rows} rows each: read as a regression target (Task: classification to change)</source>
        <translation>标签列 {column} 有 {values} 个不同的整数，其中 {sparse} 个各自出现不到 {min_rows} 行：按回归目标读取（要改变，请把任务设为分类）</translation>
    </message>
    <message>
        <source>Label column {column} has {values} distinct whole numbers, most in {min_rows} rows or more: read as classes (Task: regression to change)</source>
        <translation>标签列 {column} 有 {values} 个不同的整数，大多数各出现 {min_rows} 行以上：按类别读取（要改变，请把任务设为回归）</translation>
    </message>
    <message>
        <source>A {task} target: the loss {old} is switched to {new}</source>
        <translation>{task}目标：损失函数已从 {old} 换成 {new}</translation>
    </message>
    <message>
        <source>Stopped early at step {step}: the validation loss did not improve for {patience} evaluations; best step {best_step} restored (validation loss {best_val_loss:.4g})</source>
        <translation>在第 {step} 步提前停止：验证损失连续 {patience} 次评估没有改善；已恢复第 {best_step} 步的最佳权重（验证损失 {best_val_loss:.4g}）</translation>
    </message>
    <message>
        <source>Batch size {0} is larger than the {1} training samples: each step uses all {1} as one batch</source>
        <translation>批大小 {0} 大于 {1} 个训练样本：每一步都把全部 {1} 个样本作为一个批次</translation>
    </message>
    <message>
        <source>Train share is 1: no test set, so no test loss, test accuracy or overfitting check</source>
        <translation>训练集比例为 1：没有测试集，因此没有测试损失、测试准确率，也无法检查过拟合</translation>
    </message>
</context>
<context>
    <name>Explainer</name>
    <message>
        <source>add gate: passes the gradient to both inputs</source>
        <translation>加法门：把梯度原样传给两个输入</translation>
    </message>
    <message>
        <source>add gate: passes the gradient to both inputs (x·W and b)</source>
        <translation>加法门：把梯度原样传给两个输入（x·W 和 b）</translation>
    </message>
    <message>
        <source>add gate (skip connection): passes the gradient to the block and, unchanged, around it</source>
        <translation>加法门（残差连接）：把梯度传给这一块，同时原样绕过它传下去</translation>
    </message>
    <message>
        <source>multiply gate: swaps the inputs × upstream</source>
        <translation>乘法门：交换两个输入 × 上游梯度</translation>
    </message>
    <message>
        <source>max gate: routes it to the larger input</source>
        <translation>max 门：把梯度只传给较大的那个输入</translation>
    </message>
    <message>
        <source>sigmoid: σ(x)(1 − σ(x)) × upstream</source>
        <translation>sigmoid：σ(x)(1 − σ(x)) × 上游梯度</translation>
    </message>
    <message>
        <source>activation: f′(z) × upstream</source>
        <translation>激活函数：f′(z) × 上游梯度</translation>
    </message>
    <message>
        <source>multiply gate for matrices: ∂L/∂x = W · upstream, ∂L/∂W = x ⊗ upstream</source>
        <translation>矩阵乘法门：∂L/∂x = W · 上游梯度，∂L/∂W = x ⊗ 上游梯度</translation>
    </message>
    <message>
        <source>batch norm with running statistics: γ/√(σ² + ε) × upstream</source>
        <translation>使用滑动统计量的批归一化：γ/√(σ² + ε) × 上游梯度</translation>
    </message>
    <message>
        <source>loss: ∂L/∂L = 1, and ∂L/∂logits starts the backward pass</source>
        <translation>损失：∂L/∂L = 1，∂L/∂logits 是反向传播的起点</translation>
    </message>
    <message>
        <source>weight penalty: ∂R/∂W = λ₂·W (L2) + λ₁·sign(W) (L1)</source>
        <translation>权重惩罚：∂R/∂W = λ₂·W（L2）+ λ₁·sign(W)（L1）</translation>
    </message>
    <message>
        <source>Taking the network&apos;s current weights…</source>
        <translation>正在取网络当前的权重……</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Forward&lt;/b&gt; to send the chosen sample through the running network with its current weights, then &lt;b&gt;Backward step&lt;/b&gt; to walk the gradient back to the inputs, gate by gate.</source>
        <translation>点击&lt;b&gt;前向&lt;/b&gt;，用当前的权重把选中的样本送过正在训练的网络；再点&lt;b&gt;反向一步&lt;/b&gt;，一个门一个门地把梯度传回输入。</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Forward&lt;/b&gt; to compute each node&apos;s value (green, above its wire).</source>
        <translation>点击&lt;b&gt;前向&lt;/b&gt;，算出每个节点的值（绿色，写在连线上方）。</translation>
    </message>
    <message>
        <source>Forward pass done: each wire carries its value (green). Now &lt;b&gt;Backward step&lt;/b&gt;: the walk starts at the output with ∂{0}/∂{0} = 1.</source>
        <translation>前向传播完成：每条连线都带着它的值（绿色）。现在点&lt;b&gt;反向一步&lt;/b&gt;：从输出开始，∂{0}/∂{0} = 1。</translation>
    </message>
    <message>
        <source>gate {0} of {1}</source>
        <translation>第 {0} 个门，共 {1} 个</translation>
    </message>
    <message>
        <source>target {0} · loss {1} · weights of step {2}</source>
        <translation>目标 {0} · 损失 {1} · 第 {2} 步的权重</translation>
    </message>
    <message>
        <source>(training is at step {0}: Forward takes the current weights)</source>
        <translation>（训练已到第 {0} 步：点“前向”取当前的权重）</translation>
    </message>
    <message>
        <source>Batch norm uses its running mean and variance here, as in evaluation: a batch of one sample has variance 0, so x̂ would be 0 for any input and no gradient would flow through it.</source>
        <translation>这里的批归一化和评估时一样，使用滑动平均的均值和方差：只有一个样本的批次方差为 0，x̂ 对任何输入都是 0，梯度也就无法通过它。</translation>
    </message>
    <message>
        <source>Dropout is off, as in evaluation; in training a dropped unit passes no gradient back.</source>
        <translation>和评估时一样，这里关闭了 Dropout；训练时被丢弃的神经元不会把梯度传回去。</translation>
    </message>
    <message>
        <source>{0} = {1} (the value of {2}) × {3} = {4}</source>
        <translation>{0} = {1}（{2} 的值）× {3} = {4}</translation>
    </message>
    <message>
        <source>σ′ = {0} × (1 − {0}) = {1}; {2} = {1} × {3} = {4}</source>
        <translation>σ′ = {0} × (1 − {0}) = {1}；{2} = {1} × {3} = {4}</translation>
    </message>
    <message>
        <source>{0} = 1 × {1} = {2}</source>
        <translation>{0} = 1 × {1} = {2}</translation>
    </message>
    <message>
        <source>unit #{0}: z = {1}, so the max gate sends {2} {3}</source>
        <translation>神经元 #{0}：z = {1}，所以 max 门把 {2} {3}</translation>
    </message>
    <message>
        <source>on to z</source>
        <translation>传给 z</translation>
    </message>
    <message>
        <source>nowhere: the 0 input won (∂L/∂z = 0)</source>
        <translation>挡住了：较大的是 0 那个输入（∂L/∂z = 0）</translation>
    </message>
    <message>
        <source>unit #{0}: {1} × f′(z) = {2} × {3} = {4}</source>
        <translation>神经元 #{0}：{1} × f′(z) = {2} × {3} = {4}</translation>
    </message>
    <message>
        <source>(z: what enters this gate, a = f(z): what leaves it; ∂L/∂a: the gradient arriving from above)</source>
        <translation>（z：进入这个门的值，a = f(z)：离开它的值；∂L/∂a：从上游传来的梯度）</translation>
    </message>
    <message>
        <source>#{0}: the unit with the largest gradient here; hover a unit in the Network panel to follow that one</source>
        <translation>#{0}：这里梯度最大的神经元；把鼠标停在“网络”面板的某个神经元上，就改为跟踪那一个</translation>
    </message>
    <message>
        <source>{0}× smaller</source>
        <translation>缩小为 1/{0}</translation>
    </message>
    <message>
        <source>{0}× larger</source>
        <translation>放大 {0} 倍</translation>
    </message>
    <message>
        <source>‖∂L/∂a‖ {0} → ‖∂L/∂z‖ {1} ({2}; f′(z) between {3} and {4})</source>
        <translation>‖∂L/∂a‖ {0} → ‖∂L/∂z‖ {1}（{2}；f′(z) 在 {3} 到 {4} 之间）</translation>
    </message>
    <message>
        <source>σ′ ≤ 0.25 everywhere: every sigmoid layer shrinks the gradient at least 4×.</source>
        <translation>σ′ 处处 ≤ 0.25：每个 sigmoid 层至少把梯度缩小为 1/4。</translation>
    </message>
    <message>
        <source>each unit sends ∂L/∂a to its larger piece; the other piece gets 0 (‖·‖ {0} → {1})</source>
        <translation>每个神经元把 ∂L/∂a 传给较大的那一段，另一段得到 0（‖·‖ {0} → {1}）</translation>
    </message>
    <message>
        <source>∂L/∂x = W · ∂L/∂out: ‖·‖ {0};  ∂L/∂W = x ⊗ ∂L/∂out: ‖·‖ {1}</source>
        <translation>∂L/∂x = W · ∂L/∂输出：‖·‖ {0}；∂L/∂W = x ⊗ ∂L/∂输出：‖·‖ {1}</translation>
    </message>
    <message>
        <source>column #{0} of ∂L/∂W = x × {1} = {2}</source>
        <translation>∂L/∂W 的第 #{0} 列 = x × {1} = {2}</translation>
    </message>
    <message>
        <source>unit #{0}: γ/√(σ² + ε) = {1}; × {2} = {3}</source>
        <translation>神经元 #{0}：γ/√(σ² + ε) = {1}；× {2} = {3}</translation>
    </message>
    <message>
        <source>adds λ₂·W + λ₁·sign(W) to every weight gradient (L1 λ₁ = {0}, L2 λ₂ = {1})</source>
        <translation>给每个权重梯度加上 λ₂·W + λ₁·sign(W)（L1 λ₁ = {0}，L2 λ₂ = {1}）</translation>
    </message>
    <message>
        <source>‖upstream‖ {0} goes unchanged to {1}</source>
        <translation>‖上游梯度‖ {0} 原样传给 {1}</translation>
    </message>
    <message>
        <source> and </source>
        <translation> 和 </translation>
    </message>
    <message>
        <source>softmax p = {0}, target class {1}: ∂L/∂logits = p − one-hot = {2}</source>
        <translation>softmax p = {0}，目标类别 {1}：∂L/∂logits = p − 独热向量 = {2}</translation>
    </message>
    <message>
        <source>σ(z) − y = {0}</source>
        <translation>σ(z) − y = {0}</translation>
    </message>
    <message>
        <source>2(ŷ − y) = {0}</source>
        <translation>2(ŷ − y) = {0}</translation>
    </message>
    <message>
        <source>+1 for each class whose margin is violated, minus their count for the target: {0}</source>
        <translation>每个违反间隔的类别 +1，目标类别减去它们的个数：{0}</translation>
    </message>
    <message>
        <source>value {0}</source>
        <translation>值 {0}</translation>
    </message>
    <message>
        <source>gradient {0}</source>
        <translation>梯度 {0}</translation>
    </message>
    <message>
        <source>gradient so far {0} (more consumers to visit)</source>
        <translation>目前的梯度 {0}（还有使用它的门没走到）</translation>
    </message>
    <message>
        <source>gradient not reached yet</source>
        <translation>梯度还没传到这里</translation>
    </message>
    <message>
        <source>Done: {0}</source>
        <translation>完成：{0}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>Done. ‖∂L/∂W‖ from the first layer to the output: {0}</source>
        <translation>完成。从第一层到输出层的 ‖∂L/∂W‖：{0}</translation>
    </message>
    <message>
        <source>The first layer&apos;s ‖∂L/∂W‖ is {0} of the last hidden layer&apos;s: it barely learns (vanishing gradients).</source>
        <translation>第一层的 ‖∂L/∂W‖ 只有最后一个隐藏层的 {0} 倍：它几乎学不动（梯度消失）。</translation>
    </message>
    <message>
        <source>green: a wire&apos;s value (forward) · red: its gradient (backward)</source>
        <translation>绿色：连线上的值（前向）· 红色：它的梯度（反向）</translation>
    </message>
    <message>
        <source>‖·‖: a vector&apos;s length, [min, max] its range, #k: unit k</source>
        <translation>‖·‖：向量的长度，[最小, 最大]：取值范围，#k：第 k 个神经元</translation>
    </message>
</context>
<context>
    <name>ExportMenu</name>
    <message>
        <source>Export image (PNG, 1×)…</source>
        <translation>导出图像（PNG，1×）…</translation>
    </message>
    <message>
        <source>Export image (PNG, 2×)…</source>
        <translation>导出图像（PNG，2×）…</translation>
    </message>
    <message>
        <source>Export SVG…</source>
        <translation>导出 SVG…</translation>
    </message>
    <message>
        <source>Export data (CSV)…</source>
        <translation>导出数据（CSV）…</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Could not write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
</context>
<context>
    <name>FieldFeedback</name>
    <message>
        <source>, layer {0}</source>
        <translation>，第 {0} 层</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>{0} (still {1})</source>
        <translation>{0}（仍为 {1}）</translation>
    </message>
</context>
<context>
    <name>FileController</name>
    <message>
        <source>Open experiment</source>
        <translation>打开实验</translation>
    </message>
    <message>
        <source>nnvis experiments (*.nnvis)</source>
        <translation>nnvis 实验 (*.nnvis)</translation>
    </message>
    <message>
        <source>Open CSV data</source>
        <translation>打开 CSV 数据</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>{0}: no header row (the first row must name the columns)</source>
        <translation>{0}：没有表头行（第一行必须写出各列的名称）</translation>
    </message>
    <message>
        <source>Label column</source>
        <translation>标签列</translation>
    </message>
    <message>
        <source>Which column is the label?</source>
        <translation>哪一列是标签？</translation>
    </message>
    <message>
        <source>{0} is not a file nnvis can open (a folder, a pipe or a device, or it does not exist)</source>
        <translation>{0} 不是 nnvis 能打开的文件（是文件夹、管道或设备，或者不存在）</translation>
    </message>
    <message>
        <source>Save experiment</source>
        <translation>保存实验</translation>
    </message>
    <message>
        <source>Save screenshot</source>
        <translation>保存截图</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>Opened {0}</source>
        <translation>已打开 {0}</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>Could not save {0}: {1}. The file that was there, if any, is unchanged.</source>
        <translation>无法保存 {0}：{1}。原有的文件（如果有）没有改动。</translation>
    </message>
</context>
<context>
    <name>GradientFlowPanel</name>
    <message>
        <source>‖∂L/∂a‖ (gradient at the layer&apos;s output)</source>
        <translation>‖∂L/∂a‖（该层输出处的梯度）</translation>
    </message>
    <message>
        <source>‖∂L/∂W‖ (weight gradient)</source>
        <translation>‖∂L/∂W‖（权重梯度）</translation>
    </message>
    <message>
        <source>update/weight ‖ΔW‖/‖W‖</source>
        <translation>更新/权重 ‖ΔW‖/‖W‖</translation>
    </message>
    <message>
        <source>one hidden layer: add layers to watch gradients vanish toward the input</source>
        <translation>只有一个隐藏层：多加几层，就能看到梯度在靠近输入处消失</translation>
    </message>
    <message>
        <source>no hidden layers: add layers to watch gradients vanish toward the input</source>
        <translation>没有隐藏层：多加几层，就能看到梯度在靠近输入处消失</translation>
    </message>
    <message>
        <source>‖∂L/∂W‖ is not finite: training diverged</source>
        <translation>‖∂L/∂W‖ 不是有限值：训练发散了</translation>
    </message>
    <message>
        <source>last hidden layer ‖∂L/∂W‖ = 0: no gradient reaches it (dead units?)</source>
        <translation>最后一个隐藏层的 ‖∂L/∂W‖ = 0：没有梯度到达（神经元死亡了？）</translation>
    </message>
    <message>
        <source>gradients tiny (‖∂L/∂W‖ ≈ {0}) but the loss is ≈ 0: the training data are fit</source>
        <translation>梯度很小（‖∂L/∂W‖ ≈ {0}），但损失 ≈ 0：训练数据已经拟合好了</translation>
    </message>
    <message>
        <source>gradients tiny everywhere (‖∂L/∂W‖ ≈ {0}): nothing learns — check the initial weight scale</source>
        <translation>各处梯度都很小（‖∂L/∂W‖ ≈ {0}）：什么也学不到——请检查权重的初始化尺度</translation>
    </message>
    <message>
        <source>first/last hidden layer ‖∂L/∂W‖ ratio: {0} — </source>
        <translation>第一个与最后一个隐藏层的 ‖∂L/∂W‖ 之比：{0}——</translation>
    </message>
    <message>
        <source>gradients vanish toward the input</source>
        <translation>梯度在靠近输入处消失</translation>
    </message>
    <message>
        <source>gradients explode toward the input</source>
        <translation>梯度在靠近输入处爆炸</translation>
    </message>
    <message>
        <source>updates tiny everywhere (‖ΔW‖/‖W‖ ≤ {0}, healthy ≈ {1}): the weights barely move — learning rate or initial weights too small?</source>
        <translation>各处更新都很小（‖ΔW‖/‖W‖ ≤ {0}，健康值 ≈ {1}）：权重几乎不动——学习率或初始权重太小了？</translation>
    </message>
    <message>
        <source>healthy flow</source>
        <translation>梯度流动正常</translation>
    </message>
    <message>
        <source>Every hidden layer&apos;s ‖∂L/∂W‖ &lt; {0}: gradients tiny everywhere, nothing learns (e.g. a too small initial scale).
Else ‖∂L/∂W‖ of the first hidden layer divided by that of the last one:
&lt; {1}: gradients vanish (deep sigmoid/tanh nets, small weights);
&gt; {2}: gradients explode (large weights);
every ‖ΔW‖/‖W‖ &lt; {3}: updates tiny (learning rate or initial weights too small?);
else: healthy flow.</source>
        <translation>每个隐藏层的 ‖∂L/∂W‖ &lt; {0}：各处梯度都很小，什么也学不到（例如初始化尺度太小）。
否则看第一个隐藏层的 ‖∂L/∂W‖ 除以最后一个隐藏层的：
&lt; {1}：梯度消失（深层 sigmoid / tanh 网络、权重较小）；
&gt; {2}：梯度爆炸（权重较大）；
每个 ‖ΔW‖/‖W‖ &lt; {3}：更新太小（学习率或初始权重太小？）；
其余情况：梯度流动正常。</translation>
    </message>
    <message>
        <source>Which per-layer quantity the time plot shows</source>
        <translation>时间曲线图显示每层的哪个量</translation>
    </message>
    <message>
        <source>Over time:</source>
        <translation>随时间变化：</translation>
    </message>
    <message>
        <source>healthy ≈ {0}</source>
        <translation>健康值 ≈ {0}</translation>
    </message>
    <message>
        <source>Now: {0}</source>
        <translation>当前：{0}</translation>
    </message>
    <message>
        <source>layer (input → output)</source>
        <translation>层（输入 → 输出）</translation>
    </message>
    <message>
        <source>norm (log scale)</source>
        <translation>范数（对数刻度）</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>value (log scale)</source>
        <translation>数值（对数刻度）</translation>
    </message>
    <message>
        <source>{0} per layer over time</source>
        <translation>每层的 {0} 随时间变化</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>the same settings</source>
        <translation>相同的设置</translation>
    </message>
    <message>
        <source>□ white outlines, with {0}: {1}</source>
        <translation>□ 白色轮廓，{0}：{1}</translation>
    </message>
</context>
<context>
    <name>GraphScene</name>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
</context>
<context>
    <name>HistogramsPanel</name>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>step &amp;nbsp;·&amp;nbsp; few {0} many</source>
        <translation>步数 &amp;nbsp;·&amp;nbsp; 少 {0} 多</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>层：</translation>
    </message>
    <message>
        <source>Which layer&apos;s weights W (into the layer) and ∂L/∂W to show</source>
        <translation>显示哪一层的权重 W（进入该层的权重）和 ∂L/∂W</translation>
    </message>
    <message>
        <source>weights in ±range: the histogram&apos;s x range (the largest |w|, rounded up to a power of two)
‖∂L/∂W‖: gradient norm of this layer&apos;s weights on a fixed probe batch
update/weight: ‖ΔW‖ / ‖W‖ of the last optimiser step (healthy ≈ 1e-3)</source>
        <translation>权重范围 ±r：直方图的横轴范围（最大的 |w|，向上取到 2 的幂）
‖∂L/∂W‖：固定探测批次上这一层权重的梯度范数
更新/权重：上一次优化步的 ‖ΔW‖ / ‖W‖（健康值 ≈ 1e-3）</translation>
    </message>
    <message>
        <source>What the first column shows (widen the panel to see weights, gradients and activations side by side)</source>
        <translation>第一列显示什么（把面板拉宽，就能并排看到权重、梯度和激活值）</translation>
    </message>
    <message>
        <source>Weights now</source>
        <translation>当前权重</translation>
    </message>
    <message>
        <source>weight w</source>
        <translation>权重 w</translation>
    </message>
    <message>
        <source>count</source>
        <translation>个数</translation>
    </message>
    <message>
        <source>Gradients now</source>
        <translation>当前梯度</translation>
    </message>
    <message>
        <source>Activations now</source>
        <translation>当前激活值</translation>
    </message>
    <message>
        <source>activation h</source>
        <translation>激活值 h</translation>
    </message>
    <message>
        <source>Weights over time</source>
        <translation>权重随时间变化</translation>
    </message>
    <message>
        <source>Gradients over time</source>
        <translation>梯度随时间变化</translation>
    </message>
    <message>
        <source>Activations over time</source>
        <translation>激活值随时间变化</translation>
    </message>
    <message>
        <source>How many weights have a gradient of each size, log10 |∂L/∂W|;
the left bin also counts zeros and anything ≤ 1e-10</source>
        <translation>各种大小的梯度 log10 |∂L/∂W| 分别有多少个权重；
最左边的格子也计入零和所有 ≤ 1e-10 的值</translation>
    </message>
    <message>
        <source>output layer: no activation function&lt;br&gt;(its logits are linear)</source>
        <translation>输出层：没有激活函数&lt;br&gt;（它的 logits 是线性的）</translation>
    </message>
    <message>
        <source>logit std</source>
        <translation>logits 标准差</translation>
    </message>
    <message>
        <source>activation std</source>
        <translation>激活值标准差</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: weights in ±{1} · ‖∂L/∂W‖ = {2} · update/weight = {3} · {4} = {5}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：权重范围 ±{1} · ‖∂L/∂W‖ = {2} · 更新/权重 = {3} · {4} = {5}</translation>
    </message>
</context>
<context>
    <name>Layers</name>
    <message>
        <source>h{0}</source>
        <translation>h{0}</translation>
    </message>
    <message>
        <source>in</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>out</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>hidden{0}</source>
        <translation>隐藏层{0}</translation>
    </message>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
</context>
<context>
    <name>LessonsPanel</name>
    <message>
        <source>Load lesson</source>
        <translation>载入课程</translation>
    </message>
    <message>
        <source>Train a copy with the switch flipped (same data, seed and batches); the gradient-flow panel overlays both</source>
        <translation>训练一个拨动了开关的副本（数据、随机种子和小批量都相同）；梯度流面板把两者叠加显示</translation>
    </message>
    <message>
        <source>Flip the switch: {0}</source>
        <translation>拨动开关：{0}</translation>
    </message>
    <message>
        <source>Compare side by side: {0}</source>
        <translation>并排比较：{0}</translation>
    </message>
    <message>
        <source>Load the notes&apos; hand-made XOR solution</source>
        <translation>载入笔记中手工构造的异或解</translation>
    </message>
    <message>
        <source>Also try:</source>
        <translation>也试试：</translation>
    </message>
    <message>
        <source>Load this lesson first to use its switches.</source>
        <translation>请先载入此课程，再使用这些开关。</translation>
    </message>
    <message>
        <source>Pick a lesson, then press Load.</source>
        <translation>选择一个课程，然后点击“载入课程”。</translation>
    </message>
</context>
<context>
    <name>LogSlider</name>
    <message>
        <source>Exact learning rate (any positive number)</source>
        <translation>精确的学习率（任意正数）</translation>
    </message>
    <message>
        <source>Learning rate on a log scale (1e-5 … 10). Too small crawls, too large diverges. Live.</source>
        <translation>对数刻度的学习率（1e-5 … 10）。太小则进展缓慢，太大则发散。实时生效。</translation>
    </message>
</context>
<context>
    <name>LossCurvesPanel</name>
    <message>
        <source>no test set</source>
        <translation>没有测试集</translation>
    </message>
    <message>
        <source>log y</source>
        <translation>对数纵轴</translation>
    </message>
    <message>
        <source>Logarithmic loss axis: late, small improvements stay visible</source>
        <translation>损失用对数坐标：后期的微小改进也看得见</translation>
    </message>
    <message>
        <source>raw batch loss</source>
        <translation>原始批损失</translation>
    </message>
    <message>
        <source>Also draw every (noisy) mini-batch loss, faint</source>
        <translation>同时用淡色画出每个小批量（有噪声）的损失</translation>
    </message>
    <message>
        <source>smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>Exponential moving average of the batch loss (0 = raw)</source>
        <translation>批损失的指数移动平均（0 = 不平滑）</translation>
    </message>
    <message>
        <source>Loss &amp;nbsp;{0}━ batch ╍ train{2} &amp;nbsp;{1}━ test{2}</source>
        <translation>损失 &amp;nbsp;{0}━ 小批量 ╍ 训练{2} &amp;nbsp;{1}━ 测试{2}</translation>
    </message>
    <message>
        <source>Accuracy &amp;nbsp;{0}━ train{3} &amp;nbsp;{1}━ test{3} &amp;nbsp;{2}╌ chance{3}</source>
        <translation>准确率 &amp;nbsp;{0}━ 训练{3} &amp;nbsp;{1}━ 测试{3} &amp;nbsp;{2}╌ 随机猜测{3}</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>loss (log scale)</source>
        <translation>损失（对数刻度）</translation>
    </message>
    <message>
        <source>{0}┅&amp;nbsp;validation{1}</source>
        <translation>{0}┅&amp;nbsp;验证{1}</translation>
    </message>
    <message>
        <source>R² (1 = perfect fit) &amp;nbsp;{0}━ train{2} &amp;nbsp;{1}━ test{2}</source>
        <translation>R²（1 = 完美拟合） &amp;nbsp;{0}━ 训练{2} &amp;nbsp;{1}━ 测试{2}</translation>
    </message>
    <message>
        <source>loss (log, standardised)</source>
        <translation>损失（对数，已标准化）</translation>
    </message>
    <message>
        <source>loss (standardised)</source>
        <translation>损失（已标准化）</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>R²</source>
        <translation>R²</translation>
    </message>
    <message>
        <source>best: step {0}</source>
        <translation>最佳：第 {0} 步</translation>
    </message>
    <message>
        <source>step {0}</source>
        <translation>第 {0} 步</translation>
    </message>
    <message>
        <source>loss {0} / {1}</source>
        <translation>损失 {0} / {1}</translation>
    </message>
    <message>
        <source>R² {0}</source>
        <translation>R² {0}</translation>
    </message>
    <message>
        <source>MAE {0} ({1})</source>
        <translation>MAE {0}（{1}）</translation>
    </message>
    <message>
        <source>MAE {0}</source>
        <translation>MAE {0}</translation>
    </message>
    <message>
        <source>accuracy n/a (regression)</source>
        <translation>准确率：不适用（回归）</translation>
    </message>
    <message>
        <source>acc {0} / {1}</source>
        <translation>准确率 {0} / {1}</translation>
    </message>
    <message>
        <source>╍ flipped copy: batch loss {0}</source>
        <translation>╍ 拨动开关的副本：批损失 {0}</translation>
    </message>
    <message>
        <source>stopped early at step {0}: the weights of step {1} are kept</source>
        <translation>在第 {0} 步提前停止：保留第 {1} 步的权重</translation>
    </message>
    <message>
        <source>latest evaluation: train / test / validation</source>
        <translation>最近一次评估：训练 / 测试 / 验证</translation>
    </message>
    <message>
        <source>latest evaluation: train / test</source>
        <translation>最近一次评估：训练 / 测试</translation>
    </message>
    <message>
        <source>The loss is on the target standardised with the training split&apos;s mean and spread; R² and MAE are in the target&apos;s own units.</source>
        <translation>损失是在用训练集的均值和标准差标准化后的目标上计算的；R² 和 MAE 以目标自己的单位表示。</translation>
    </message>
    <message>
        <source>test − train loss = {0}</source>
        <translation>测试 − 训练损失 = {0}</translation>
    </message>
    <message>
        <source>test − train loss: how much worse the network does on unseen data.
When the test loss turns up while the train loss keeps falling, the network is overfitting: learning the training points&apos; noise.</source>
        <translation>测试 − 训练损失：网络在没见过的数据上差了多少。
当训练损失继续下降而测试损失开始回升时，网络就过拟合了：它在学习训练数据点的噪声。</translation>
    </message>
    <message>
        <source>Best test loss {0} at step {1}; {2} now, while the train loss fell from {3} to {4}.</source>
        <translation>最佳测试损失 {0}（第 {1} 步）；现在是 {2}，而训练损失从 {3} 降到了 {4}。</translation>
    </message>
    <message>
        <source>test loss rising: overfitting</source>
        <translation>测试损失上升：过拟合</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Switched to the {0} engine (fresh weights)</source>
        <translation>已切换到{0}引擎（新权重）</translation>
    </message>
    <message>
        <source>nnvis — watch a neural network learn</source>
        <translation>nnvis —— 看神经网络如何学习</translation>
    </message>
    <message>
        <source>A watched PyTorch run keeps its weights in its own script: the network&apos;s graph is only for nnvis&apos;s own trainer. The notes&apos; two graphs work as ever.</source>
        <translation>被观察的 PyTorch 训练把权重留在它自己的脚本里：网络的计算图只适用于 nnvis 自己的训练器。笔记里的两个计算图照常可用。</translation>
    </message>
    <message>
        <source>Restarted the trainer from the autosave (step {0})</source>
        <translation>已从自动保存重新启动训练器（第 {0} 步）</translation>
    </message>
    <message>
        <source>Rebuilt with fresh weights (changed: {0})</source>
        <translation>已用新的权重重建（修改了：{0}）</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>Applied live, weights kept: {0}</source>
        <translation>已实时应用，权重保持不变：{0}</translation>
    </message>
</context>
<context>
    <name>MenuBar</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>课程(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Engine</source>
        <translation>引擎(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Open experiment…</source>
        <translation>打开实验(&amp;O)…</translation>
    </message>
    <message>
        <source>Open CSV &amp;data…</source>
        <translation>打开 CSV 数据(&amp;D)…</translation>
    </message>
    <message>
        <source>Open &amp;recording…</source>
        <translation>打开记录(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Save experiment</source>
        <translation>保存实验(&amp;S)</translation>
    </message>
    <message>
        <source>Save experiment &amp;as…</source>
        <translation>实验另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save &amp;screenshot…</source>
        <translation>保存截图(&amp;S)…</translation>
    </message>
    <message>
        <source>Export &amp;metrics…</source>
        <translation>导出指标(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Export &amp;model</source>
        <translation>导出模型(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;PyTorch…</source>
        <translation>&amp;PyTorch…</translation>
    </message>
    <message>
        <source>&amp;ONNX…</source>
        <translation>&amp;ONNX…</translation>
    </message>
    <message>
        <source>Reset layout</source>
        <translation>重置布局</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Trainer process (fast, default)</source>
        <translation>训练子进程（快，默认）</translation>
    </message>
    <message>
        <source>Worker thread (in-process)</source>
        <translation>工作线程（同一进程内）</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>About nnvis</source>
        <translation>关于 nnvis</translation>
    </message>
    <message>
        <source>&lt;b&gt;nnvis {0}&lt;/b&gt; — watch a neural network learn.&lt;br&gt;A NumPy trainer runs off the GUI thread; every panel shows what the notes teach: vanishing gradients, dead ReLUs, saturation, initialisation, dropout and batch norm.</source>
        <translation>&lt;b&gt;nnvis {0}&lt;/b&gt; —— 看神经网络如何学习。&lt;br&gt;NumPy 训练器在界面线程之外运行；每个面板都展示笔记里讲的内容：梯度消失、ReLU 死亡、饱和、初始化、Dropout 和批归一化。</translation>
    </message>
</context>
<context>
    <name>MetricsExport</name>
    <message>
        <source>Export metrics</source>
        <translation>导出指标</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Could not write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
    <message>
        <source>Wrote {0} rows of metrics to {1}</source>
        <translation>已将 {0} 行指标写入 {1}</translation>
    </message>
</context>
<context>
    <name>ModelExport</name>
    <message>
        <source>Export model as PyTorch</source>
        <translation>导出模型为 PyTorch</translation>
    </message>
    <message>
        <source>Export model as ONNX</source>
        <translation>导出模型为 ONNX</translation>
    </message>
    <message>
        <source>Python files (*.py)</source>
        <translation>Python 文件 (*.py)</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>ONNX 模型 (*.onnx)</translation>
    </message>
    <message>
        <source>A watched PyTorch run keeps its model in its own script: export it there (torch.save or torch.onnx).</source>
        <translation>被观察的 PyTorch 训练把模型留在它自己的脚本里：请在那里导出（torch.save 或 torch.onnx）。</translation>
    </message>
    <message>
        <source>Exporting ONNX needs the onnx package: pip install &quot;nnvis[onnx]&quot;</source>
        <translation>导出 ONNX 需要 onnx 包：pip install &quot;nnvis[onnx]&quot;</translation>
    </message>
    <message>
        <source>Could not write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
    <message>
        <source>Exported the network (step {0}) to {1}</source>
        <translation>已将网络（第 {0} 步）导出到 {1}</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>SamplePicker</name>
    <message>
        <source>Sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Which training sample to send through the network (or click a point in the Data panel)</source>
        <translation>要送入网络的样本（也可以在“数据与预测”面板里点一个点）</translation>
    </message>
    <message>
        <source>train</source>
        <translation>训练集</translation>
    </message>
    <message>
        <source>test</source>
        <translation>测试集</translation>
    </message>
</context>
<context>
    <name>SessionController</name>
    <message>
        <source>Settings cannot be saved to {0}: the window layout, language and last settings will not be remembered</source>
        <translation>无法将设置保存到 {0}：窗口布局、语言和上次的设置不会被记住</translation>
    </message>
    <message>
        <source>Restored the experiment from before the app was closed by the system (step {0})</source>
        <translation>已恢复应用被系统关闭之前的实验（第 {0} 步）</translation>
    </message>
    <message>
        <source>An experiment from an earlier session can be restored: File ▸ Recover</source>
        <translation>可以恢复之前会话留下的实验：文件 ▸ 恢复</translation>
    </message>
    <message>
        <source>The autosave failed: {0}. The last autosave (step {1}) is kept.</source>
        <translation>自动保存失败：{0}。上一次的自动保存（第 {1} 步）仍然保留。</translation>
    </message>
    <message>
        <source>The autosave failed: {0}.</source>
        <translation>自动保存失败：{0}。</translation>
    </message>
    <message>
        <source>nnvis did not close cleanly last time. Restore the experiment that was running (its weights, optimiser state and history)?</source>
        <translation>nnvis 上次没有正常关闭。要恢复当时正在运行的实验（包括权重、优化器状态和历史记录）吗？</translation>
    </message>
    <message>
        <source>The autosave holds step {0}, saved {1}.</source>
        <translation>自动保存的是第 {0} 步，保存于 {1}。</translation>
    </message>
    <message>
        <source>Other crashed sessions can be restored from File ▸ Recover ({0} more).</source>
        <translation>还有其他崩溃的会话可以从 文件 ▸ 恢复 中恢复（另有 {0} 个）。</translation>
    </message>
    <message>
        <source>Restore the last experiment?</source>
        <translation>恢复上次的实验吗？</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>Restored the experiment from the autosave (step {0})</source>
        <translation>已从自动保存恢复实验（第 {0} 步）</translation>
    </message>
    <message>
        <source>Re&amp;cover</source>
        <translation>恢复(&amp;C)</translation>
    </message>
    <message>
        <source>Step {0}, saved {1}</source>
        <translation>第 {0} 步，保存于 {1}</translation>
    </message>
    <message>
        <source>Unreadable autosave, saved {0}</source>
        <translation>无法读取的自动保存，保存于 {0}</translation>
    </message>
    <message>
        <source>Discard all</source>
        <translation>全部丢弃</translation>
    </message>
    <message>
        <source>Could not restore the autosave: {0}</source>
        <translation>无法恢复自动保存：{0}</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>step {0}</source>
        <translation>第 {0} 步</translation>
    </message>
    <message>
        <source>epoch {0}</source>
        <translation>第 {0} 轮</translation>
    </message>
    <message>
        <source>batch loss {0}</source>
        <translation>批损失 {0}</translation>
    </message>
    <message>
        <source>{0} steps/s</source>
        <translation>{0} 步/秒</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>{0} parameters</source>
        <translation>{0} 个参数</translation>
    </message>
    <message>
        <source>not answering</source>
        <translation>没有响应</translation>
    </message>
    <message>
        <source>watching</source>
        <translation>观察中</translation>
    </message>
    <message>
        <source>engine: {0}</source>
        <translation>引擎：{0}</translation>
    </message>
    <message>
        <source>process</source>
        <translation>子进程</translation>
    </message>
    <message>
        <source>thread</source>
        <translation>线程</translation>
    </message>
    <message>
        <source>Loss of the last mini-batch (the Loss panel&apos;s numbers are evaluations on the train and test sets)</source>
        <translation>最近一个小批量的损失（损失面板里的数字是在训练集和测试集上的评估结果）</translation>
    </message>
</context>
<context>
    <name>TopologyHover</name>
    <message>
        <source>Fill = mean activation ({0}−{2} … {1}+{2})</source>
        <translation>填充色 = 平均激活值（{0}−{2} … {1}+{2}）</translation>
    </message>
    <message>
        <source>border = bias</source>
        <translation>边框 = 偏置</translation>
    </message>
    <message>
        <source>{0}grey ×{1} dead</source>
        <translation>{0}灰色 ×{1} 死亡</translation>
    </message>
    <message>
        <source>{0}red ring{1} saturated</source>
        <translation>{0}红圈{1} 饱和</translation>
    </message>
    <message>
        <source>{0}yellow ring{1} dropped this step</source>
        <translation>{0}黄圈{1} 本步被 Dropout 屏蔽</translation>
    </message>
    <message>
        <source>hover for details</source>
        <translation>悬停查看详情</translation>
    </message>
    <message>
        <source>click a hidden neuron to map it</source>
        <translation>点击隐藏神经元查看它的输出图</translation>
    </message>
    <message>
        <source>&lt;b&gt;input {0}&lt;/b&gt; (feature {1} of {2}, standardised)</source>
        <translation>&lt;b&gt;输入 {0}&lt;/b&gt;（第 {1} 个特征，共 {2} 个，已标准化）</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0} unit {1}&lt;/b&gt;</source>
        <translation>&lt;b&gt;{0} 神经元 {1}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;output {0}&lt;/b&gt;</source>
        <translation>&lt;b&gt;输出 {0}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>mean activation {0}</source>
        <translation>平均激活值 {0}</translation>
    </message>
    <message>
        <source>bias {0}</source>
        <translation>偏置 {0}</translation>
    </message>
    <message>
        <source>&lt;b&gt;dead&lt;/b&gt;: never active on the probe batch (no gradient flows through it)</source>
        <translation>&lt;b&gt;死亡&lt;/b&gt;：在探测批次上从未被激活（没有梯度流过它）</translation>
    </message>
    <message>
        <source>saturated on {0} of the batch</source>
        <translation>在批次中 {0} 的样本上饱和</translation>
    </message>
    <message>
        <source>dropped this step</source>
        <translation>本步被 Dropout 屏蔽</translation>
    </message>
    <message>
        <source>click to map its output</source>
        <translation>点击查看它的输出图</translation>
    </message>
    <message>
        <source>&lt;b&gt;input&lt;/b&gt;: {0} features (standardised)</source>
        <translation>&lt;b&gt;输入&lt;/b&gt;：{0} 个特征（已标准化）</translation>
    </message>
    <message>
        <source>update/weight {0}</source>
        <translation>更新/权重 {0}</translation>
    </message>
    <message>
        <source>dead {0}</source>
        <translation>死亡 {0}</translation>
    </message>
    <message>
        <source>saturated {0}</source>
        <translation>饱和 {0}</translation>
    </message>
</context>
<context>
    <name>TopologyLabels</name>
    <message>
        <source>{0} vs {1}</source>
        <extracomment>A name beside a node keeps this many characters (the layout makes room for them): enough to tell &quot;sepal_length&quot; from &quot;sepal_width&quot; apart more often than not.</extracomment>
        <translation>{0} 对 {1}</translation>
    </message>
    <message>
        <source>class {0} vs {1}</source>
        <translation>类别 {0} 对 {1}</translation>
    </message>
    <message>
        <source>class {0}</source>
        <translation>类别 {0}</translation>
    </message>
    <message>
        <source>1 feature</source>
        <translation>1 个特征</translation>
    </message>
    <message>
        <source>{0} features</source>
        <translation>{0} 个特征</translation>
    </message>
    <message>
        <source>1 output</source>
        <translation>1 个输出</translation>
    </message>
    <message>
        <source>{0} outputs</source>
        <translation>{0} 个输出</translation>
    </message>
    <message>
        <source>1 logit</source>
        <translation>1 个 logit</translation>
    </message>
    <message>
        <source>{0} logits</source>
        <translation>{0} 个 logit</translation>
    </message>
    <message>
        <source>⋮ +{0} more</source>
        <translation>⋮ 另有 {0} 个</translation>
    </message>
    <message>
        <source>BN</source>
        <translation>BN</translation>
    </message>
    <message>
        <source>drop {0}</source>
        <translation>Dropout {0}</translation>
    </message>
    <message>
        <source>every hidden layer: {0}</source>
        <translation>每个隐藏层：{0}</translation>
    </message>
    <message>
        <source>dead</source>
        <translation>死亡</translation>
    </message>
    <message>
        <source>sat</source>
        <translation>饱和</translation>
    </message>
</context>
<context>
    <name>TopologyPanel</name>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>Update/weight ratio</source>
        <translation>更新/权重比</translation>
    </message>
    <message>
        <source>Each edge is one weight w into the next layer (only the drawn units&apos; edges).
Thickness and brightness: |w| relative to the largest |w| of that layer pair.</source>
        <translation>每条连线是通往下一层的一个权重 w（只画出显示的神经元之间的连线）。
粗细和亮度：|w| 相对于这两层之间最大 |w| 的大小。</translation>
    </message>
    <message>
        <source>Each edge is ∂L/∂w on the probe batch.
Thickness: |∂L/∂w| on a log scale relative to the largest in the whole network
(3 buckets over {0} decades), so layers whose gradient vanishes fade out.</source>
        <translation>每条连线是探测批次上的 ∂L/∂w。
粗细：|∂L/∂w| 相对于整个网络中最大值的对数刻度
（{0} 个数量级分成 3 档），所以梯度消失的层会逐渐变淡。</translation>
    </message>
    <message>
        <source>Each edge is |Δw| / |w| of the last optimiser step (how fast that weight changes).
Healthy training is around 10⁻³; thickness is on a log scale relative to the largest
in the whole network ({0} decades).</source>
        <translation>每条连线是上一次优化步的 |Δw| / |w|（这个权重变化得有多快）。
健康的训练大约在 10⁻³；粗细是相对于整个网络中最大值的对数刻度
（{0} 个数量级）。</translation>
    </message>
    <message>
        <source>What the edges show:
Weights: w (orange +, blue −)
Gradients: ∂L/∂w of the last probe batch
Update/weight ratio: |Δw| / |w| of the last optimiser step</source>
        <extracomment>The hidden unit under the pointer (block index, unit); the Backprop panel singles it out in wide layers. Not emitted on leaving: the last one stays chosen.</extracomment>
        <translation>连线显示的内容：
权重：w（橙色 +，蓝色 −）
梯度：上一个探测批次的 ∂L/∂w
更新/权重比：上一次优化步的 |Δw| / |w|</translation>
    </message>
    <message>
        <source>Edges:</source>
        <translation>连线：</translation>
    </message>
    <message>
        <source>orange +</source>
        <translation>橙色 +</translation>
    </message>
    <message>
        <source>blue −</source>
        <translation>蓝色 −</translation>
    </message>
    <message>
        <source>&lt;b&gt;gradients ∂L/∂w&lt;/b&gt;: {0} / {1}; thicker = larger (log, whole net); faint early layers = vanishing</source>
        <translation>&lt;b&gt;梯度 ∂L/∂w&lt;/b&gt;：{0} / {1}；越粗 = 越大（对数，整个网络）；前面的层变淡 = 梯度消失</translation>
    </message>
    <message>
        <source>&lt;b&gt;update/weight |Δw|/|w|&lt;/b&gt; of the last step; thicker = larger (log, whole net)</source>
        <translation>上一步的&lt;b&gt;更新/权重 |Δw|/|w|&lt;/b&gt;；越粗 = 越大（对数，整个网络）</translation>
    </message>
    <message>
        <source>&lt;b&gt;weights w&lt;/b&gt;: {0} / {1}; thicker &amp;amp; brighter = larger |w| (per layer)</source>
        <translation>&lt;b&gt;权重 w&lt;/b&gt;：{0} / {1}；越粗越亮 = |w| 越大（逐层）</translation>
    </message>
    <message>
        <source>(switching…)</source>
        <translation>（切换中…）</translation>
    </message>
    <message>
        <source>&lt;b&gt;edges not drawn&lt;/b&gt;: too many layers to keep them apart</source>
        <translation>&lt;b&gt;未画连线&lt;/b&gt;：层数太多，连线无法分开</translation>
    </message>
</context>
<context>
    <name>TrainingCommands</name>
    <message>
        <source>Lesson loaded: {0}</source>
        <translation>已载入课程：{0}</translation>
    </message>
    <message>
        <source>Compare mode: a copy with {0} trains alongside (same data, seed and batches). Press Play.</source>
        <translation>对比模式：一个改为 {0} 的副本同时训练（数据、随机种子和小批量都相同）。请点击“播放”。</translation>
    </message>
</context>
<context>
    <name>TrainingToolbar</name>
    <message>
        <source>Max speed</source>
        <translation>最快速度</translation>
    </message>
    <message>
        <source>1000 steps/s</source>
        <translation>1000 步/秒</translation>
    </message>
    <message>
        <source>300 steps/s</source>
        <translation>300 步/秒</translation>
    </message>
    <message>
        <source>100 steps/s</source>
        <translation>100 步/秒</translation>
    </message>
    <message>
        <source>30 steps/s</source>
        <translation>30 步/秒</translation>
    </message>
    <message>
        <source>10 steps/s</source>
        <translation>10 步/秒</translation>
    </message>
    <message>
        <source>1 step/s</source>
        <translation>1 步/秒</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Play / pause training (Space)</source>
        <translation>开始 / 暂停训练（空格键）</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>Run exactly one training step (→)</source>
        <translation>只训练一步（→）</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Reinitialise the weights (R)</source>
        <translation>重新初始化权重（R）</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Slow training down to watch single updates</source>
        <translation>放慢训练，观察每一次更新</translation>
    </message>
</context>
<context>
    <name>UnitTable</name>
    <message>
        <source>unit</source>
        <translation>神经元</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>∂L/∂value</source>
        <translation>∂L/∂值</translation>
    </message>
    <message>
        <source>local gradient</source>
        <translation>局部梯度</translation>
    </message>
    <message>
        <source>sent to the input</source>
        <translation>传给输入</translation>
    </message>
    <message>
        <source>The selected node unit by unit (click a node in the graph to choose it)</source>
        <translation>选中节点的每个神经元（在计算图里点击一个节点来选择）</translation>
    </message>
</context>
<context>
    <name>WatchMode</name>
    <message>
        <source>Open recording</source>
        <translation>打开记录</translation>
    </message>
    <message>
        <source>nnvis recordings (*.nnvisrec);;All files (*)</source>
        <translation>nnvis 记录 (*.nnvisrec);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot listen on {0}: {1}</source>
        <translation>无法在 {0} 上监听：{1}</translation>
    </message>
    <message>
        <source>Watching a PyTorch run</source>
        <translation>正在观察一次 PyTorch 训练</translation>
    </message>
    <message>
        <source>{0}; every snapshot before it was replayed.</source>
        <translation>{0}；此前的每个快照都已回放。</translation>
    </message>
    <message>
        <source>Recording {0}</source>
        <translation>记录 {0}</translation>
    </message>
    <message>
        <source>{0} ({1}, {2:,} parameters, on {3}): {4} steps, {5} snapshots, one every {6} steps.</source>
        <translation>{0}（{1}，{2:,} 个参数，在 {3} 上）：{4} 步，{5} 个快照，每 {6} 步一个。</translation>
    </message>
    <message>
        <source>Play replays the run; Step shows the next snapshot.</source>
        <translation>“播放”重放这次训练；“单步”显示下一个快照。</translation>
    </message>
    <message>
        <source>Listening on {0}. In your training script:</source>
        <translation>正在 {0} 上监听。在你的训练脚本里：</translation>
    </message>
    <message>
        <source>or set NNVIS_CONNECT={0} and NNVIS_TOKEN={1}.</source>
        <translation>或者设置 NNVIS_CONNECT={0} 和 NNVIS_TOKEN={1}。</translation>
    </message>
    <message>
        <source>Waiting for a script…</source>
        <translation>正在等待脚本连接……</translation>
    </message>
    <message>
        <source>Watching {0} on {1}: a snapshot every {2} steps. Pause stops the script at its next step.</source>
        <translation>正在观察 {1} 上的 {0}：每 {2} 步一个快照。“暂停”会让脚本在下一步停住。</translation>
    </message>
    <message>
        <source>The script disconnected ({0}); waiting for the next one.</source>
        <translation>脚本已断开（{0}）；正在等待下一个。</translation>
    </message>
</context>
</TS>
