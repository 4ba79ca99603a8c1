package io.github.tribuokd.anomaly;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.tribuokd.anomaly.nn.Activation;
import io.github.tribuokd.anomaly.nn.ConvNetSpec;
import io.github.tribuokd.anomaly.nn.SequentialNetwork;
import io.github.tribuokd.anomaly.protos.ConvNetworkProto;
import io.github.tribuokd.anomaly.nn.FeedForwardNetwork;
import io.github.tribuokd.anomaly.protos.FeedForwardNetworkProto;
import org.tribuo.Output;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelDataProto;

import java.util.Arrays;

/**
 * Shared protobuf plumbing of the models in this package: Tribuo model metadata and networks.
 */
final class ProtoSupport {

    private ProtoSupport() { }

    static ByteString metadata(ModelDataCarrier<?> carrier) {
        return carrier.serialize().toByteString();
    }

    /**
     * Decodes Tribuo's model metadata and checks that its output domain holds the expected output class.
     */
    static ModelDataCarrier<?> readMetadata(ByteString bytes, Class<? extends Output<?>> outputClass, String modelClass)
            throws InvalidProtocolBufferException {
        if (bytes.isEmpty()) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": the Tribuo metadata is missing");
        }
        ModelDataCarrier<?> carrier = ModelDataCarrier.deserialize(ModelDataProto.parseFrom(bytes));
        if (carrier.outputDomain().size() > 0
                && !outputClass.isInstance(carrier.outputDomain().getDomain().iterator().next())) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": expected outputs of type "
                    + outputClass.getSimpleName() + ", found " + carrier.outputDomain().getClass().getSimpleName());
        }
        return carrier;
    }

    static FeedForwardNetworkProto network(FeedForwardNetwork net) {
        FeedForwardNetworkProto.Builder b = FeedForwardNetworkProto.newBuilder();
        for (int s : net.sizes()) {
            b.addSizes(s);
        }
        b.setHiddenActivation(net.hiddenActivation().name());
        b.setOutputActivation(net.outputActivation().name());
        for (float p : net.parameters()) {
            b.addParameters(p);
        }
        return b.build();
    }

    static FeedForwardNetwork network(FeedForwardNetworkProto proto, int expectedInput, int expectedOutput,
                                      String modelClass) {
        int[] sizes = proto.getSizesList().stream().mapToInt(Integer::intValue).toArray();
        if (sizes.length < 2 || sizes[0] != expectedInput || sizes[sizes.length - 1] != expectedOutput) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": network sizes "
                    + Arrays.toString(sizes) + " do not match " + expectedInput + " inputs and " + expectedOutput
                    + " outputs");
        }
        FeedForwardNetwork net;
        try {
            net = new FeedForwardNetwork(sizes, Activation.valueOf(proto.getHiddenActivation()),
                    Activation.valueOf(proto.getOutputActivation()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": " + e.getMessage(), e);
        }
        if (proto.getParametersCount() != net.numParameters()) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": network of sizes "
                    + Arrays.toString(sizes) + " needs " + net.numParameters() + " parameters, found "
                    + proto.getParametersCount());
        }
        float[] p = new float[net.numParameters()];
        for (int i = 0; i < p.length; i++) {
            p[i] = proto.getParameters(i);
        }
        net.setParameters(p);
        return net;
    }

    static ConvNetworkProto convNetwork(ConvNetSpec spec, SequentialNetwork net) {
        ConvNetworkProto.Builder b = ConvNetworkProto.newBuilder()
                .setSpec(spec.spec())
                .setChannels(spec.channels())
                .setHeight(spec.height())
                .setWidth(spec.width())
                .setHiddenActivation(spec.hiddenActivation().name())
                .setOutputActivation(spec.outputActivation().name());
        for (float p : net.parameters()) {
            b.addParameters(p);
        }
        return b.build();
    }

    /** Rebuilds a convolutional network's specification, checking its input and output widths. */
    static ConvNetSpec convSpec(ConvNetworkProto proto, int expectedInput, int expectedOutput, String modelClass) {
        ConvNetSpec spec;
        try {
            spec = ConvNetSpec.parse(proto.getSpec(), proto.getChannels(), proto.getHeight(), proto.getWidth(),
                    Activation.valueOf(proto.getHiddenActivation()), Activation.valueOf(proto.getOutputActivation()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": " + e.getMessage(), e);
        }
        if (spec.inputSize() != expectedInput || spec.outputSize() != expectedOutput) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": network '" + spec.spec()
                    + "' maps " + spec.inputSize() + " inputs to " + spec.outputSize() + " outputs, the model has "
                    + expectedInput + " features and " + expectedOutput + " outputs");
        }
        if (proto.getParametersCount() != spec.numParameters()) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": network '" + spec.spec()
                    + "' needs " + spec.numParameters() + " parameters, found " + proto.getParametersCount());
        }
        return spec;
    }

    /** The network of a checked {@link #convSpec}, with the stored parameters. */
    static SequentialNetwork convNetwork(ConvNetSpec spec, ConvNetworkProto proto) {
        SequentialNetwork net = spec.newNetwork();
        float[] p = new float[net.numParameters()];
        for (int i = 0; i < p.length; i++) {
            p[i] = proto.getParameters(i);
        }
        net.setParameters(p);
        return net;
    }

    static void checkVersion(int version, int current, String modelClass) {
        if (version < 0 || version > current) {
            throw new IllegalArgumentException("Unknown serialized version " + version + " of " + modelClass
                    + "; this build reads versions up to " + current);
        }
    }
}
