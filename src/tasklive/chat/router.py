"""Chat, conversation history and run cancellation endpoints."""

from fastapi import APIRouter, Query, Response, status

from tasklive.agent.approvals import UserChoices
from tasklive.chat.schemas import (
    ApprovalAnswer,
    ApprovalOut,
    CancelAccepted,
    ChatAccepted,
    ChatRequest,
    ChatResponse,
    ConversationOut,
    MessageOut,
)
from tasklive.chat.store import ConversationStore
from tasklive.deps import PathUser, RunnerDep, SessionDep, SettingsDep
from tasklive.errors import NotFoundError, TurnStillRunningError
from tasklive.openapi import errors
from tasklive.text import Identifier

router = APIRouter(prefix="/api/{user_id}", tags=["chat"])


@router.post(
    "/chat",
    response_model=None,  # 200 is always a ChatResponse, 202 a ChatAccepted, as declared here
    responses={
        200: {"model": ChatResponse},
        202: {"model": ChatAccepted},
        **errors(404, 429, 500, 503),
    },
)
async def chat(
    body: ChatRequest,
    user: PathUser,
    session: SessionDep,
    runner: RunnerDep,
    settings: SettingsDep,
    response: Response,
    wait: bool = True,
) -> ChatResponse | ChatAccepted:
    """Send a message; waits for the agent's reply unless `wait=false` (202 with the ids)."""
    # End the request's read transaction: on SQLite it holds the write lock the turn needs.
    await session.commit()
    turn = await runner.start(
        user.id,
        body.message,
        conversation_id=body.conversation_id,
        client_message_id=body.client_message_id,
        choices=UserChoices.of(user.timezone, user.approve_deletes),
        queue_first=wait,
    )
    if not wait:
        response.status_code = status.HTTP_202_ACCEPTED
        return ChatAccepted(**turn.ids())
    try:
        result = await turn.answer(settings.chat_wait_seconds)
    except TimeoutError:
        raise TurnStillRunningError(
            "Still working on it: the reply will appear when it is ready.", **turn.ids()
        ) from None
    if result is None:
        # It waits for an approval, which can take minutes: its events carry the rest.
        response.status_code = status.HTTP_202_ACCEPTED
        return ChatAccepted(**turn.ids(), approval_id=turn.approval_id)
    if (error := result.error()) is not None:
        raise error
    return ChatResponse.model_validate(result.body)


@router.get("/conversations")
async def list_conversations(
    user: PathUser, session: SessionDep, limit: int = Query(default=100, ge=1, le=500)
) -> list[ConversationOut]:
    """The caller's conversations, most recently active first."""
    conversations = await ConversationStore(session, user.id).recent(limit)
    return [ConversationOut.model_validate(c) for c in conversations]


@router.get("/conversations/{conversation_id}/messages")
async def list_messages(
    conversation_id: Identifier,
    user: PathUser,
    session: SessionDep,
    limit: int = Query(default=50, ge=1, le=200),
    before: Identifier | None = Query(default=None),
) -> list[MessageOut]:
    """A page of messages in chronological order; `before` (a message id) pages back in time."""
    messages = await ConversationStore(session, user.id).messages(conversation_id, limit, before)
    return [MessageOut.of(m) for m in messages]


@router.delete("/conversations/{conversation_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_conversation(
    conversation_id: Identifier, user: PathUser, session: SessionDep, runner: RunnerDep
) -> None:
    """Delete a conversation and its messages, stopping its running turns first."""
    store = ConversationStore(session, user.id)
    await store.get(conversation_id)
    await session.commit()
    await runner.cancel_conversation(user.id, conversation_id)
    await store.delete(conversation_id)


@router.post("/runs/{run_id}/cancel", status_code=status.HTTP_202_ACCEPTED)
async def cancel_run(
    run_id: Identifier, user: PathUser, session: SessionDep, runner: RunnerDep
) -> CancelAccepted:
    """Ask a running turn to stop; it ends with agent_done cancelled: true."""
    if not await ConversationStore(session, user.id).owns_run(run_id):
        raise NotFoundError("Run not found.")
    await session.commit()
    await runner.cancel(user.id, run_id)
    return CancelAccepted(run_id=run_id)


@router.post("/approvals/{approval_id}")
async def answer_approval(
    approval_id: Identifier, body: ApprovalAnswer, user: PathUser, runner: RunnerDep
) -> ApprovalOut:
    """Approve or deny a tool call a run is waiting on; every tab sees `approval_resolved`."""
    status = await runner.resolve_approval(user.id, approval_id, body.approved)
    return ApprovalOut(approval_id=approval_id, status=status)
