// LLVM pass plugin that `lind cc` loads into every compile
// (-fpass-plugin): a check point at each loop header of every function
// that calls setjmp.
//
// Why: a signal handler that siglongjmps back into the function whose
// own loop it interrupted can only land there through one of that
// function's invoke_* calls (LLVM's Emscripten-style setjmp lowering
// resumes a function only after an invoke; see src/setjmp/wasm32/
// setjmp.c). A loop with no call in it has none. So such loops read
// __lind_signal_flag, which the runtime raises instead of sending the
// thread into a handler while it runs in one of these functions, and
// call __lind_signal_poll when it is up. The pass runs before the setjmp
// lowering, which then routes that call through an invoke like any other.
// Cost: a load and a branch per iteration, in setjmp-calling functions
// only.
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"

using namespace llvm;

namespace {

bool callsSetjmp(const Function &F) {
  for (const BasicBlock &BB : F)
    for (const Instruction &I : BB)
      if (const auto *Call = dyn_cast<CallBase>(&I))
        if (const Function *Callee = Call->getCalledFunction())
          if (Callee->getName() == "setjmp" || Callee->getName() == "_setjmp")
            return true;
  return false;
}

struct SignalPollPass : PassInfoMixin<SignalPollPass> {
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &MAM) {
    FunctionAnalysisManager &FAM =
        MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();
    LLVMContext &Ctx = M.getContext();
    Type *I32 = Type::getInt32Ty(Ctx);
    bool Changed = false;
    for (Function &F : M) {
      if (F.isDeclaration() || !callsSetjmp(F))
        continue;
      SmallVector<BasicBlock *, 8> Headers;
      for (Loop *L : FAM.getResult<LoopAnalysis>(F).getLoopsInPreorder())
        Headers.push_back(L->getHeader());
      if (Headers.empty())
        continue;
      GlobalVariable *Flag = M.getGlobalVariable("__lind_signal_flag");
      if (!Flag)
        Flag = new GlobalVariable(M, I32, /*isConstant=*/false,
                                  GlobalValue::ExternalLinkage, nullptr,
                                  "__lind_signal_flag");
      FunctionCallee Poll = M.getOrInsertFunction(
          "__lind_signal_poll", FunctionType::get(Type::getVoidTy(Ctx), false));
      for (BasicBlock *Header : Headers) {
        IRBuilder<> B(&*Header->getFirstInsertionPt());
        LoadInst *Raised = B.CreateLoad(I32, Flag, /*isVolatile=*/true,
                                        "lind.signal.flag");
        Raised->setAlignment(Align(4));
        Instruction *Then = SplitBlockAndInsertIfThen(
            B.CreateICmpNE(Raised, ConstantInt::get(I32, 0)),
            &*B.GetInsertPoint(), /*Unreachable=*/false);
        IRBuilder<>(Then).CreateCall(Poll);
      }
      FAM.invalidate(F, PreservedAnalyses::none());
      Changed = true;
    }
    return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
  }
};

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "LindSignalPoll", "1", [](PassBuilder &PB) {
            // Last, so that the loops are the ones code generation sees;
            // the setjmp lowering runs after every optimisation pass.
            PB.registerOptimizerLastEPCallback(
                [](ModulePassManager &MPM, OptimizationLevel) {
                  MPM.addPass(SignalPollPass());
                });
          }};
}
