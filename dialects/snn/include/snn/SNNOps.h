//===- SNNOps.h - Ops and attributes of the snn dialect ---------*- C++ -*-===//
#pragma once

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"

#include "snn/SNNDialect.h"
#include "snn/SNNEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "snn/SNNAttrs.h.inc"

#include "snn/SNNInterfaces.h.inc"

#define GET_OP_CLASSES
#include "snn/SNNOps.h.inc"

namespace snnc::snn {

/// The parameter ranges of Lava's fixed-point CUBA LIF (lava-nc
/// PyLifModelBitAcc and Dense; docs/semantics.md, SNN-L rules), which an
/// integer network under `#snn.arithmetic<lava_cuba>` must respect.
namespace lava {
constexpr int64_t kStateBits = 24; ///< u and v
constexpr int64_t kWeightBits = 8; ///< weight mantissas
constexpr int64_t kMinWeightExp = -8, kMaxWeightExp = 7;
constexpr int64_t kMaxThreshold = (int64_t(1) << 17) - 1; ///< vth, 17 bits
constexpr int64_t kMinIDecay = 1, kMaxIDecay = 4096; ///< du + 1, du 12 bits
constexpr int64_t kMaxVDecay = 4095;                 ///< dv, 12 bits
constexpr int64_t kBiasMantissaBits = 13, kMaxBiasExp = 7;
/// A weight unit adds 2^6 to the current; a threshold compares v > vth·2^6.
constexpr int64_t kUnitShift = 6;

/// Whether `bias` is `mantissa << exp` with a 13-bit signed mantissa and
/// exp in [0, 7] (Lava's bias_mant, bias_exp).
inline bool isBiasRepresentable(int64_t bias) {
  const int64_t hi = (int64_t(1) << (kBiasMantissaBits - 1)) - 1, lo = -hi - 1;
  for (int64_t exp = 0; exp <= kMaxBiasExp; ++exp) {
    int64_t step = int64_t(1) << exp;
    if (bias % step == 0 && bias / step >= lo && bias / step <= hi)
      return true;
  }
  return false;
}
} // namespace lava

/// The ranges and limits of Xylo Audio 2 as XyloSim states them
/// (docs/semantics.md, SNN-X rules), which an integer network under
/// `#snn.arithmetic<xylo_iaf>` must respect.
namespace xylo {
constexpr int64_t kStateBits = 16;     ///< v, currents, thresholds, biases
constexpr int64_t kWeightBits = 8;     ///< weight mantissas (int8)
constexpr int64_t kMaxWeightShift = 8; ///< beyond, the shift wraps (SNN-X3)
constexpr int64_t kMaxDash = 15;       ///< 4-bit dash registers
constexpr int64_t kMaxInputs = 16, kMaxHidden = 1000, kMaxOutputs = 8;
/// An li readout is an output neuron with the largest threshold.
constexpr int64_t kReadoutThreshold = 32767;

/// The three weight matrices of Xylo (SNN-X10): a projection from an input
/// population is in `weights_in`, one into an li population (output neurons)
/// in `weights_out`, any other (lif to lif) in `weights_rec`. Each has one
/// weight shift.
enum class Matrix { In = 0, Rec = 1, Out = 2 };
inline const char *matrixName(Matrix m) {
  return m == Matrix::In ? "weights_in"
                         : (m == Matrix::Rec ? "weights_rec" : "weights_out");
}
} // namespace xylo

/// Copies the elements of a dense or dense_resource attribute into `out`.
/// Fails when the attribute's storage or element type does not match T (the
/// verifier checks element types first, so this only fails on bad IR).
template <typename T>
mlir::LogicalResult getElementValues(mlir::ElementsAttr attr,
                                     llvm::SmallVectorImpl<T> &out);

/// Builds a tensor attribute backed by a dense_resource blob, the storage
/// large parameter arrays use so that IR stays small to print and parse.
template <typename T>
mlir::ElementsAttr makeResourceAttr(mlir::ShapedType type,
                                    llvm::StringRef blobName,
                                    llvm::ArrayRef<T> values);

/// Reads an integer tensor of element type i8, i16, i32 or i64 (dense or
/// dense_resource) widened to int64. Fails on any other element type or
/// unreadable storage.
mlir::LogicalResult getIntegerValues(mlir::ElementsAttr attr,
                                     llvm::SmallVectorImpl<int64_t> &out);

/// Every neuron's value of a parameter that may be per neuron (SNN-V23):
/// the `array` (f64) when present, else `scalar` repeated `size` times.
mlir::LogicalResult getPerNeuronValues(std::optional<mlir::ElementsAttr> array,
                                       double scalar, int64_t size,
                                       llvm::SmallVectorImpl<double> &out);
/// The same for the integer decays (`v_decay_per_neuron`, i32).
mlir::LogicalResult
getPerNeuronIntegers(std::optional<mlir::ElementsAttr> array, int64_t scalar,
                     int64_t size, llvm::SmallVectorImpl<int64_t> &out);

/// The population (input, lif or li) a symbol names inside `network`, or
/// null.
PopulationOpInterface lookupPopulation(NetworkOp network,
                                       mlir::FlatSymbolRefAttr ref);
/// Number of neurons of a population op, -1 for any other op. Equivalent to
/// `cast<PopulationOpInterface>(op).getSize()` where `op` is known to be one.
int64_t getPopulationSize(mlir::Operation *population);

} // namespace snnc::snn
